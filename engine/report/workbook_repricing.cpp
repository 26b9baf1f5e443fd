// The workbook's re-pricing sheets (results.xlsx): a finance officer changes a unit cost in
// Excel and sees each department's costs and savings recompute, without running the engine.
//
//   Re-priced costs      per variant, department and calendar budget year: the cost of
//                        services by formulas, the savings against the baseline (nominal and
//                        present value), and beside them the engine's own means and the
//                        difference.
//   Re-pricing inputs    the unit costs as editable input cells (yellow): per state cost line
//                        and rate period the amount per person-month in the run's prices and
//                        the cashable share; per transition cost line the amount per move;
//                        per refusion rule the state's share on each step of the staircase.
//   Re-pricing quantities the mean person-months per state, refusion step (or time on
//                        benefit) and rate period, and the mean moves, per variant and budget
//                        year, nominal and discounted to the start; beside each row its price
//                        per unit to each department, a formula of the inputs.
//
// Exact for the means: the engine simulates first and prices after (ledger/pricing.hpp),
// so the cost of a state in a month is its persons times the unit costs in force then,
// split between departments by the line's refusion share, cashable share and neutralised or
// equalised share; the mean over iterations is then mean occupancy times the unit cost, as
// long as every iteration drew the same unit cost (fixed amounts, or --central). The
// formulas reproduce pricing.cpp's split line by line (split_line): a change there must be
// made here too (tests/repricing_libreoffice.sh checks the two agree).
#include "report/workbook_repricing.hpp"

#include <socinvest/ledger/budget_years.hpp>
#include <socinvest/ledger/discounting.hpp>
#include <socinvest/ledger/repricing.hpp>

#include <algorithm>
#include <map>
#include <string>
#include <vector>

namespace socinvest {

namespace {

using namespace xlsx_parts;

std::string column_name(lxw_col_t col) {
  std::string s;
  for (int c = static_cast<int>(col) + 1; c > 0; c = (c - 1) / 26) s.insert(s.begin(), static_cast<char>('A' + (c - 1) % 26));
  return s;
}
/// An absolute reference to a cell of sheet `sheet`: 'Sheet name'!$B$7.
std::string ref(const std::string& sheet, lxw_row_t row, lxw_col_t col) {
  return "'" + sheet + "'!$" + column_name(col) + "$" + std::to_string(row + 1);
}
/// An absolute reference to rows [first, last] of one column.
std::string range(const std::string& sheet, lxw_row_t first, lxw_row_t last, lxw_col_t col) {
  const std::string c = column_name(col);
  return "'" + sheet + "'!$" + c + "$" + std::to_string(first + 1) + ":$" + c + "$" + std::to_string(last + 1);
}
lxw_col_t col_at(int col) { return static_cast<lxw_col_t>(col); }
std::string local(lxw_row_t row, lxw_col_t col) { return column_name(col) + std::to_string(row + 1); }
std::string number_text(double v) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "%.17g", v);
  return buf;
}

/// Where the money of a line goes besides its department (pricing.cpp, split_line): the
/// neutralised share when the run neutralises transfers, else a tax line's equalisation.
struct Moved {
  int to = -1;
  double share = 0.0;
};
Moved moved_of(const CostLine& line, bool neutralise) {
  if (neutralise && line.neutralised_share > 0.0 && line.neutralised_to >= 0) return {line.neutralised_to, line.neutralised_share};
  if (line.equalisation && line.equalisation->share > 0.0) return {line.equalisation->to, line.equalisation->share};
  return {};
}

/// The cells of one state that every line prices alike: each line with a refusion rule
/// takes its state share from the cell's step (the months on public support, on a rule with
/// a refusion clock; the old rules' share; or the months in the current spell), so cells
/// with the same step for every line share a price.
struct StepGroup {
  std::vector<int> cells;
  std::vector<int> key;   ///< per line of the state: the months that set its share; -1 the old rules; -2 no rule
  std::string label;
};

struct Labels {
  Language lang;
  std::string costs, inputs, quantities;
};

} // namespace

void repricing_sheets(Book& book, const Results& r, Language lang) {
  if (!r.repricing || !r.scenario || r.repricing->iterations == 0) return;
  const Scenario& s = *r.scenario;
  const RepricingTally& tally = *r.repricing;
  const Layout& L = tally.layout;
  const BudgetCalendar calendar(s.run);
  const int C = calendar.years(), D = r.accounts.departments, P = tally.periods(), k = L.cycle_months;
  const double N = tally.iterations;
  const std::vector<double> discount = monthly_discount_factors(s.run);
  const bool neutralise = r.neutralised();
  auto Tx = [&](Msg m) { return std::string(T(lang, m)); };
  const std::string costs_name = Tx(Msg::wb_re_priced_costs);
  const std::string inputs_name = Tx(Msg::wb_re_pricing_inputs);
  const std::string quantities_name = Tx(Msg::wb_re_pricing_quantities);

  std::vector<int> variants; // simulated, baseline first
  for (int v = 0; v < tally.variants; ++v)
    if (tally.simulated[static_cast<std::size_t>(v)]) variants.push_back(v);
  if (variants.size() < 2 || variants[0] != 0) return; // nothing to compare with the baseline
  // A cost by attribute (CostLine::by_attribute, a takst by area) has an input row per
  // category of its attribute, and the state's (or the domain's moves') quantities are split
  // by category, each row priced at its category's amount (as pricing.cpp prices the cells
  // of each category).
  auto category_label = [&](int attribute, int category) {
    const Attribute& a = s.attributes[static_cast<std::size_t>(attribute)];
    return a.id + ": " + a.categories[static_cast<std::size_t>(category)];
  };
  // An input row's "cost of": a line by attribute's row names its category too.
  auto what_of = [&](const std::string& what, const CostLine& line, int category) {
    return line.by_attribute >= 0 ? what + " (" + category_label(line.by_attribute, category) + ")" : what;
  };

  // Formats of these sheets only.
  lxw_format* input_money = book.new_format();
  format_set_num_format(input_money, "#,##0.00");
  lxw_format* input_share = book.new_format();
  format_set_num_format(input_share, "0.0000");
  for (lxw_format* f : {input_money, input_share}) {
    format_set_bg_color(f, 0xFFF2CC); // the input-cell yellow of Excel's own "Input" style
    format_set_font_color(f, 0x3F3F76);
    format_set_border(f, LXW_BORDER_THIN);
    format_set_border_color(f, 0x7F7F7F);
    format_set_unlocked(f);
  }
  lxw_format* price_fmt = book.new_format();
  format_set_num_format(price_fmt, "#,##0.00");
  format_set_bg_color(price_fmt, 0xF2F2F2);
  lxw_format* computed = book.new_format();
  format_set_num_format(computed, "#,##0 \"kr.\"");
  format_set_bg_color(computed, 0xF2F2F2);
  lxw_format* quantity = book.new_format();
  format_set_num_format(quantity, "#,##0.000");

  // The sheets in reading order (the costs first); filled inputs, quantities, costs, as each
  // refers to the one before.
  Sheet cs = book.sheet(costs_name.c_str());
  Sheet in = book.sheet(inputs_name.c_str());
  Sheet qs = book.sheet(quantities_name.c_str());

  // --- the inputs sheet -------------------------------------------------------------------
  in.header(0, {Tx(Msg::wb_no), Tx(Msg::wb_cost_of), Tx(Msg::wb_kind), Tx(Msg::note),
                Tx(Msg::wb_in_force_from), Tx(Msg::department), Tx(Msg::wb_expenditure_type),
                Tx(Msg::wb_amount_kr_input), Tx(Msg::wb_cashable_share_input),
                Tx(Msg::wb_reimbursement_rule), Tx(Msg::wb_other_department),
                Tx(Msg::wb_share_to_the_other_department_input),
                Tx(Msg::wb_amount_in_the_run)});
  const std::string input_note =
      Tx(Msg::wb_input_cell_yellow_change_it_and);
  in.comment(0, 7, input_note + Tx(Msg::wb_kr_per_person_month_state_costs));
  in.comment(0, 8, input_note + Tx(Msg::wb_the_share_of_the_amount_the));
  in.comment(0, 11, input_note + Tx(Msg::wb_of_the_municipality_s_part_of));
  lxw_row_t row = 1;
  int number = 0;
  // [state line (flattened)][period] -> input row; [transition line (flattened)] -> input row.
  // [state line (flattened)][period][category] -> input row (one category for a line not by
  // attribute); [transition line (flattened)][category] -> input row.
  std::vector<std::vector<std::vector<lxw_row_t>>> state_row;
  std::vector<std::vector<lxw_row_t>> move_row;
  auto department_id = [&](int d) { return d >= 0 && d < D ? r.accounts.id[static_cast<std::size_t>(d)] : std::string(); };

  bool any_varies = false;
  // A row of a dated change names the change too, as the assumptions table does:
  // "kontanthjælp (satser 2025)".
  auto put_line = [&](const std::string& what, const char* kind, const CostLine& line, const RateChange* change,
                      const std::string& from, double amount, bool varies, bool state) {
    in.number(row, 0, ++number, Unit::count);
    in.text(row, 1, what);
    in.text(row, 2, kind);
    const std::string& change_note = change ? change->note.in(lang) : std::string();
    in.text(row, 3, change_note.empty() ? line.note.in(lang)
                                        : line.note.empty() ? change_note : line.note.in(lang) + " (" + change_note + ")");
    in.text(row, 4, from);
    in.text(row, 5, department_id(line.department));
    in.text(row, 6, name_of(line.type));
    in.number_in(row, 7, amount, input_money);
    if (state) in.number_in(row, 8, line.cashable_share, input_share);
    if (line.reimbursement >= 0) in.text(row, 9, s.reimbursements[static_cast<std::size_t>(line.reimbursement)].id);
    const Moved moved = moved_of(line, neutralise);
    if (moved.to >= 0) {
      in.text(row, 10, department_id(moved.to));
      in.number_in(row, 11, moved.share, input_share);
    }
    in.text(row, 12, varies ? Tx(Msg::wb_uncertain_the_mean_of_the_iterations)
                            : Tx(Msg::wb_the_run_s_value));
    any_varies = any_varies || varies;
    return row++;
  };
  {
    std::size_t flat = 0;
    for (const auto& c : s.state_costs) {
      const Domain& dom = s.domains[static_cast<std::size_t>(c.domain)];
      const std::string what = dom.id + "." + dom.states[static_cast<std::size_t>(c.state)];
      for (const auto& line : c.lines) {
        std::vector<std::vector<lxw_row_t>> rows;
        const Quantity* last = nullptr;
        for (int p = 0; p < P; ++p) {
          // A dated change replaces every category's amount, so the base amount's change
          // marks a new period for all of them.
          const Quantity& q = line.amount_at(tally.period_from[static_cast<std::size_t>(p)]);
          if (&q != last) {
            const RateChange* change = nullptr;
            for (const auto& ch : line.changes)
              if (&ch.amount == &q) change = &ch;
            const std::string from = p == 0 ? Tx(Msg::wb_the_start) : change ? change->from.text() : std::string();
            std::vector<lxw_row_t> by_category;
            for (int kc = 0; kc < tally.state_cats[flat]; ++kc) {
              const std::size_t at = tally.state_index(flat, p, kc);
              by_category.push_back(put_line(what_of(what, line, kc),
                                             T(lang, Msg::wb_person_month), line, change, from,
                                             tally.state_varies[at] ? tally.mean_state_amount(at) : tally.state_amount[at],
                                             tally.state_varies[at] != 0, true));
            }
            rows.push_back(std::move(by_category));
            last = &q;
          } else {
            rows.push_back(rows.back());
          }
        }
        state_row.push_back(std::move(rows));
        ++flat;
      }
    }
    flat = 0;
    for (const auto& c : s.transition_costs) {
      const Domain& dom = s.domains[static_cast<std::size_t>(c.domain)];
      const std::string what = dom.id + ": " + dom.states[static_cast<std::size_t>(c.from)] + " \xe2\x86\x92 " +
                               dom.states[static_cast<std::size_t>(c.to)];
      for (const auto& line : c.lines) {
        std::vector<lxw_row_t> by_category;
        for (int kc = 0; kc < tally.move_line_cats[flat]; ++kc) {
          const std::size_t at = tally.move_index(flat, kc);
          by_category.push_back(put_line(what_of(what, line, kc),
                                         T(lang, Msg::wb_move), line, nullptr, Tx(Msg::wb_the_start),
                                         tally.move_varies[at] ? tally.mean_move_amount(at) : tally.move_amount[at],
                                         tally.move_varies[at] != 0, false));
        }
        move_row.push_back(std::move(by_category));
        ++flat;
      }
    }
  }
  // The refusion steps.
  row += 1;
  const lxw_row_t steps_head = row;
  in.header(row++, {Tx(Msg::wb_reimbursement_rule), Tx(Msg::wb_step), Tx(Msg::wb_weeks_from),
                    Tx(Msg::wb_weeks_to), std::string(), std::string(), Tx(Msg::wb_paid_by),
                    Tx(Msg::wb_state_s_share_input)});
  in.comment(steps_head, 7, input_note + Tx(Msg::wb_the_state_s_share_of_the));
  std::vector<std::vector<lxw_row_t>> step_row(s.reimbursements.size());
  std::map<std::pair<int, int>, lxw_row_t> legacy_row; // (rule, state)
  for (std::size_t rule = 0; rule < s.reimbursements.size(); ++rule) {
    const ReimbursementRule& rr = s.reimbursements[rule];
    for (std::size_t i = 0; i < rr.state_share.size(); ++i) {
      in.text(row, 0, rr.id);
      in.number(row, 1, static_cast<double>(i + 1), Unit::count);
      if (i == 0 || i - 1 < rr.weeks.size()) in.number(row, 2, i == 0 ? 0.0 : rr.weeks[i - 1], Unit::general);
      if (i < rr.weeks.size()) in.number(row, 3, rr.weeks[i], Unit::general);
      in.text(row, 6, department_id(rr.to_department));
      in.number_in(row, 7, rr.state_share[i], input_share);
      step_row[rule].push_back(row++);
    }
    if (rr.clocked())
      for (std::size_t st = 0; st < rr.clock.legacy_share.size(); ++st)
        if (rr.clock.has_legacy(static_cast<int>(st))) {
          in.text(row, 0, rr.id);
          in.text(row, 1, Tx(Msg::wb_old_rules) + s.domains[static_cast<std::size_t>(rr.clock.domain)].states[st]);
          in.text(row, 6, department_id(rr.to_department));
          in.number_in(row, 7, rr.clock.legacy_share[st], input_share);
          legacy_row[{static_cast<int>(rule), static_cast<int>(st)}] = row++;
        }
  }
  row += 1;
  in.text(row++, 0,
          Tx(Msg::wb_yellow_cells_are_inputs_amounts_are) +
              std::to_string(s.run.price_year) + ")." +
              Tx(Msg::wb_departments_and_the_refusion_rule_of),
          book.formats().note);
  if (any_varies)
    in.text(row++, 0,
            Tx(Msg::wb_some_amounts_are_uncertain_a_distribution),
            book.formats().note);
  in.set_width(3, 30);
  in.finish(1, 2);

  // --- the quantities sheet -----------------------------------------------------------------
  std::vector<std::string> head{Tx(Msg::variant), Tx(Msg::wb_cost_of), Tx(Msg::wb_kind),
                                Tx(Msg::wb_step_refusion_time_on_benefit),
                                Tx(Msg::wb_rate_period_from), Tx(Msg::wb_unit)};
  const lxw_col_t price_col = static_cast<lxw_col_t>(head.size());
  for (int d = 0; d < D; ++d) head.push_back(Tx(Msg::wb_kr_per_unit) + department_id(d));
  const lxw_col_t year_col = static_cast<lxw_col_t>(head.size());
  for (int c = 0; c < C; ++c) head.push_back(std::to_string(calendar.year_at(c)));
  const lxw_col_t pv_col = static_cast<lxw_col_t>(head.size());
  for (int c = 0; c < C; ++c) head.push_back(std::to_string(calendar.year_at(c)) + Tx(Msg::wb_discounted));
  // The variant's title first, its id last: the costs sheet's formulas pick a variant's rows
  // by the id (xlsx_parts.hpp, Sheet::variant).
  const lxw_col_t q_id_col = static_cast<lxw_col_t>(head.size());
  head.push_back(Tx(Msg::wb_variant_id));
  qs.header(0, head);
  qs.comment(0, price_col, Tx(Msg::wb_a_formula_of_the_yellow_cells));
  qs.comment(0, year_col, Tx(Msg::wb_mean_over_the_iterations_person_months));
  qs.comment(0, pv_col, Tx(Msg::wb_the_same_each_month_weighted_by));

  // One price row of the quantities: its formula per department and its quantities per variant.
  struct PriceRow {
    std::string what, kind, step, from, unit;
    std::vector<std::string> price; ///< per department: the formula's terms ("" none)
    std::vector<std::vector<double>> nominal, pv; ///< [variant][c]
  };
  std::vector<PriceRow> rows;
  auto state_share_of = [&](const CostLine& line, int key) -> std::string {
    // The formula for the state's share of the line in cells of step `key` (pricing.cpp).
    if (line.reimbursement < 0) return "";
    const ReimbursementRule& rr = s.reimbursements[static_cast<std::size_t>(line.reimbursement)];
    const std::vector<double> w = rr.step_weights(key);
    std::string f;
    for (std::size_t i = 0; i < w.size(); ++i) {
      if (w[i] == 0.0) continue;
      if (!f.empty()) f += "+";
      f += (w[i] == 1.0 ? std::string() : number_text(w[i]) + "*") + ref(inputs_name, step_row[static_cast<std::size_t>(line.reimbursement)][i], 7);
    }
    return f.empty() ? "0" : f;
  };
  // Terms of one line's price to each department: amount x cashable x the split (split_line).
  auto add_terms = [&](std::vector<std::string>& price, const CostLine& line, lxw_row_t input, const std::string& share,
                       bool state) {
    const std::string amount = ref(inputs_name, input, 7) + (state ? "*" + ref(inputs_name, input, 8) : std::string());
    auto add = [&](int d, const std::string& term) {
      if (d < 0) return;
      std::string& f = price[static_cast<std::size_t>(d)];
      f += (f.empty() ? "" : "+") + term;
    };
    const std::string own = share.empty() ? amount : amount + "*(1-(" + share + "))";
    if (!share.empty()) add(s.reimbursements[static_cast<std::size_t>(line.reimbursement)].to_department, amount + "*(" + share + ")");
    const Moved moved = moved_of(line, neutralise);
    if (moved.to >= 0) {
      add(moved.to, own + "*" + ref(inputs_name, input, 11));
      add(line.department, own + "*(1-" + ref(inputs_name, input, 11) + ")");
    } else {
      add(line.department, own);
    }
  };
  // States: their cells grouped by step, split by the periods in which one of its lines changes.
  {
    std::size_t flat = 0;
    std::map<std::pair<int, int>, std::vector<std::pair<const CostLine*, std::size_t>>> lines_of; // (domain, state) -> lines
    for (const auto& c : s.state_costs)
      for (const auto& line : c.lines) lines_of[{c.domain, c.state}].push_back({&line, flat++});
    for (int d = 0; d < L.domains; ++d)
      for (int st = 0; st < L.states[static_cast<std::size_t>(d)]; ++st) {
        const auto found = lines_of.find({d, st});
        static const std::vector<std::pair<const CostLine*, std::size_t>> none;
        const auto& lines = found == lines_of.end() ? none : found->second;
        std::vector<StepGroup> groups;
        const int first = L.cell(d, st, 0);
        for (int cell = first; cell < first + L.cells_of(d, st); ++cell) {
          std::vector<int> key;
          for (const auto& [line, at] : lines) {
            if (line->reimbursement < 0) key.push_back(-2);
            else if (line->reimbursement != L.refusion_rule) key.push_back(L.cell_from_month[static_cast<std::size_t>(cell)]);
            else if (L.cell_level[static_cast<std::size_t>(cell)] == L.refusion_levels()) key.push_back(-1);
            else key.push_back(L.refusion_level_from[static_cast<std::size_t>(std::max(0, L.cell_level[static_cast<std::size_t>(cell)]))]);
          }
          // A state split by attribute: its categories apart (key's last entry; -1 not split).
          const int category = L.cell_category[static_cast<std::size_t>(cell)];
          key.push_back(category);
          auto g = std::find_if(groups.begin(), groups.end(), [&](const StepGroup& x) { return x.key == key; });
          if (g == groups.end()) {
            StepGroup n;
            n.key = key;
            for (std::size_t i = 0; i < lines.size() && n.label.empty(); ++i) {
              const CostLine& line = *lines[i].first;
              if (key[i] == -2) continue;
              if (key[i] == -1) n.label = Tx(Msg::wb_old_rules_2);
              else if (line.reimbursement == L.refusion_rule)
                n.label = Tx(Msg::wb_from) + std::to_string(key[i]) + Tx(Msg::wb_months_on_public_support);
              else n.label = Tx(Msg::wb_from) + std::to_string(key[i]) + Tx(Msg::wb_months_in_the_spell);
            }
            if (category >= 0) {
              const std::string of = category_label(L.split_attribute[static_cast<std::size_t>(d)][static_cast<std::size_t>(st)], category);
              n.label = n.label.empty() ? of : n.label + ", " + of;
            }
            if (n.label.empty()) n.label = Tx(Msg::wb_all);
            groups.push_back(std::move(n));
            g = groups.end() - 1;
          }
          g->cells.push_back(cell);
        }
        // The state's periods: a new one where one of its lines changes its amount.
        std::vector<int> state_period(static_cast<std::size_t>(P), 0);
        std::vector<int> period_first{0};
        for (int p = 1; p < P; ++p) {
          bool changes = false;
          for (const auto& [line, at] : lines)
            changes = changes || state_row[at][static_cast<std::size_t>(p)][0] != state_row[at][static_cast<std::size_t>(p - 1)][0];
          state_period[static_cast<std::size_t>(p)] = state_period[static_cast<std::size_t>(p - 1)] + (changes ? 1 : 0);
          if (changes) period_first.push_back(p);
        }
        const Domain& dom = s.domains[static_cast<std::size_t>(d)];
        for (const StepGroup& g : groups)
          for (std::size_t sp = 0; sp < period_first.size(); ++sp) {
            PriceRow pr;
            pr.what = dom.id + "." + dom.states[static_cast<std::size_t>(st)];
            pr.kind = Tx(Msg::wb_state);
            pr.step = g.label;
            const int p0 = period_first[sp];
            pr.from = p0 == 0 ? Tx(Msg::wb_the_start) : YearMonth{s.run.start.year + (s.run.start.month - 1 + tally.period_from[static_cast<std::size_t>(p0)]) / 12,
                                                                        (s.run.start.month - 1 + tally.period_from[static_cast<std::size_t>(p0)]) % 12 + 1}.text();
            pr.unit = Tx(Msg::wb_person_months);
            pr.price.assign(static_cast<std::size_t>(D), "");
            for (std::size_t i = 0; i < lines.size(); ++i) {
              const CostLine& line = *lines[i].first;
              std::string share;
              if (g.key[i] == -1) {
                // The old rules' share of this state (pricing.cpp: clock.legacy_share[state]).
                const auto legacy = legacy_row.find({line.reimbursement, st});
                share = legacy != legacy_row.end()
                            ? ref(inputs_name, legacy->second, 7)
                            : number_text(s.reimbursements[static_cast<std::size_t>(line.reimbursement)].clock.legacy_share[static_cast<std::size_t>(st)]);
              }
              else if (g.key[i] != -2) share = state_share_of(line, g.key[i]);
              const int kc = line.by_attribute >= 0 ? std::max(0, g.key.back()) : 0;
              add_terms(pr.price, line, state_row[lines[i].second][static_cast<std::size_t>(p0)][static_cast<std::size_t>(kc)], share, true);
            }
            pr.nominal.assign(static_cast<std::size_t>(tally.variants), std::vector<double>(static_cast<std::size_t>(C), 0.0));
            pr.pv = pr.nominal;
            bool any = false;
            for (int v : variants)
              for (int cell : g.cells)
                for (int m = 0; m < tally.months; ++m) {
                  if (state_period[static_cast<std::size_t>(tally.period_of_month(m))] != static_cast<int>(sp)) continue;
                  const std::int64_t n = tally.occupied_at(v, cell, m / k);
                  if (n == 0) continue;
                  any = true;
                  const int c = calendar.index_of_month(m);
                  pr.nominal[static_cast<std::size_t>(v)][static_cast<std::size_t>(c)] += static_cast<double>(n);
                  pr.pv[static_cast<std::size_t>(v)][static_cast<std::size_t>(c)] += static_cast<double>(n) * discount[static_cast<std::size_t>(m)];
                }
            if (any) rows.push_back(std::move(pr));
          }
      }
  }
  // Transition costs: per move, booked in the last month of its step.
  {
    std::size_t flat = 0;
    for (int mi = 0; mi < tally.moves; ++mi) {
      const TransitionCost& tc = s.transition_costs[static_cast<std::size_t>(mi)];
      const Domain& dom = s.domains[static_cast<std::size_t>(tc.domain)];
      // A domain whose moves are split by attribute: a row per category, each line by
      // attribute priced at the category's amount.
      const int split = L.move_attribute[static_cast<std::size_t>(tc.domain)];
      for (int cat = 0; cat < tally.move_cats[static_cast<std::size_t>(mi)]; ++cat) {
        PriceRow pr;
        pr.what = dom.id + ": " + dom.states[static_cast<std::size_t>(tc.from)] + " \xe2\x86\x92 " + dom.states[static_cast<std::size_t>(tc.to)];
        pr.kind = Tx(Msg::wb_move);
        pr.step = split >= 0 ? category_label(split, cat) : Tx(Msg::wb_all);
        pr.from = Tx(Msg::wb_the_start);
        pr.unit = Tx(Msg::wb_moves);
        pr.price.assign(static_cast<std::size_t>(D), "");
        for (std::size_t j = 0; j < tc.lines.size(); ++j)
          add_terms(pr.price, tc.lines[j], move_row[flat + j][tc.lines[j].by_attribute >= 0 ? static_cast<std::size_t>(cat) : 0], "", false);
        pr.nominal.assign(static_cast<std::size_t>(tally.variants), std::vector<double>(static_cast<std::size_t>(C), 0.0));
        pr.pv = pr.nominal;
        bool any = false;
        for (int v : variants)
          for (int t = 0; t < L.steps; ++t) {
            const int m = t * k + k - 1;
            const std::int64_t n = tally.moved_in(v, mi, cat, t);
            if (m >= L.years * 12 || n == 0) continue;
            any = true;
            const int c = calendar.index_of_month(m);
            pr.nominal[static_cast<std::size_t>(v)][static_cast<std::size_t>(c)] += static_cast<double>(n);
            pr.pv[static_cast<std::size_t>(v)][static_cast<std::size_t>(c)] += static_cast<double>(n) * discount[static_cast<std::size_t>(m)];
          }
        if (any) rows.push_back(std::move(pr));
      }
      flat += tc.lines.size();
    }
  }
  lxw_row_t qrow = 1;
  for (int v : variants)
    for (const PriceRow& pr : rows) {
      qs.variant(qrow, q_id_col, s.variants[static_cast<std::size_t>(v)].shown(lang), s.variants[static_cast<std::size_t>(v)].id);
      qs.text(qrow, 1, pr.what);
      qs.text(qrow, 2, pr.kind);
      qs.text(qrow, 3, pr.step);
      qs.text(qrow, 4, pr.from);
      qs.text(qrow, 5, pr.unit);
      for (int d = 0; d < D; ++d) {
        const std::string& f = pr.price[static_cast<std::size_t>(d)];
        if (f.empty()) qs.number_in(qrow, col_at(price_col + d), 0.0, price_fmt);
        else qs.formula(qrow, col_at(price_col + d), "=" + f, price_fmt);
      }
      for (int c = 0; c < C; ++c) {
        qs.number_in(qrow, col_at(year_col + c), pr.nominal[static_cast<std::size_t>(v)][static_cast<std::size_t>(c)] / N, quantity);
        qs.number_in(qrow, col_at(pv_col + c), pr.pv[static_cast<std::size_t>(v)][static_cast<std::size_t>(c)] / N, quantity);
      }
      ++qrow;
    }
  const lxw_row_t q_first = 1, q_last = qrow - 1;
  qs.finish(1, 2);
  qs.autofilter(0, 0, q_last, q_id_col);

  // --- the costs sheet ----------------------------------------------------------------------
  cs.header(0, {Tx(Msg::variant), Tx(Msg::department), Tx(Msg::wb_department_name),
                Tx(Msg::wb_budget_year), Tx(Msg::wb_months),
                Tx(Msg::wb_cost_of_services_and_benefits_formulas),
                Tx(Msg::wb_the_same_engine), Tx(Msg::wb_difference),
                Tx(Msg::wb_savings_against_the_baseline_formulas),
                Tx(Msg::wb_savings_engine), Tx(Msg::wb_difference),
                Tx(Msg::wb_savings_present_value_formulas),
                Tx(Msg::wb_savings_present_value_engine), Tx(Msg::wb_difference),
                Tx(Msg::wb_investment_engine_value_not_re_priced),
                Tx(Msg::wb_pay_for_results_net_engine_value),
                Tx(Msg::wb_net_formulas_savings_investment_pay_for),
                Tx(Msg::wb_net_engine)});
  // A facility's empty but open places fall in whole units (pricing.cpp, empty_places): not a
  // price times a quantity, so they enter as the engine's values in columns of their own.
  bool facilities = false;
  for (const auto& c : s.state_costs)
    for (const auto& line : c.lines) facilities = facilities || line.facility.has_value();
  constexpr lxw_col_t facility_col = 18, facility_pv_col = 19;
  if (facilities) {
    cs.header(0, {Tx(Msg::wb_facilities_empty_places_engine_value_not),
                  Tx(Msg::wb_the_same_present_value)},
              facility_col);
    cs.comment(0, facility_col, Tx(Msg::wb_open_but_empty_places_close_only));
  }
  const lxw_col_t c_id_col = facilities ? facility_pv_col + 1 : facility_col;
  cs.header(0, {Tx(Msg::wb_variant_id)}, c_id_col);
  cs.comment(0, 5, Tx(Msg::wb_sumproduct_of_the_variant_s_quantities));
  cs.comment(0, 14, Tx(Msg::wb_intervention_costs_staff_grants_measures_are));
  const std::string qvariant = range(quantities_name, q_first, q_last, q_id_col);
  auto sumproduct = [&](const std::string& variant_cell, int d, lxw_col_t col) {
    return "SUMPRODUCT((" + qvariant + "=" + variant_cell + ")*" + range(quantities_name, q_first, q_last, col_at(price_col + d)) + "*" +
           range(quantities_name, q_first, q_last, col) + ")";
  };
  lxw_row_t crow = 1;
  std::map<std::pair<int, int>, lxw_row_t> baseline_row; // (department, c)
  const int first_variant = variants[1];
  for (int v : variants)
    for (int d = 0; d < D; ++d)
      for (int c = 0; c < C; ++c) {
        const int year = calendar.year_at(c);
        cs.variant(crow, c_id_col, s.variants[static_cast<std::size_t>(v)].shown(lang), s.variants[static_cast<std::size_t>(v)].id);
        cs.text(crow, 1, department_id(d));
        cs.text(crow, 2, r.accounts.name[static_cast<std::size_t>(d)].in(lang));
        cs.number(crow, 3, year, Unit::general);
        cs.number(crow, 4, calendar.months_in(c), Unit::count);
        const std::string me = "$" + column_name(c_id_col) + std::to_string(crow + 1);
        if (facilities) {
          cs.number(crow, facility_col, tally.mean_facility(v, d, c, false), Unit::money);
          cs.number(crow, facility_pv_col, tally.mean_facility(v, d, c, true), Unit::money);
        }
        cs.formula(crow, 5,
                   "=" + sumproduct(me, d, col_at(year_col + c)) + (facilities ? "+" + local(crow, facility_col) : std::string()),
                   computed, 14);
        const double engine = v == 0 ? r.money_in_budget_year(first_variant, d, year, Measure::gross_cost_baseline).mean
                                     : r.money_in_budget_year(v, d, year, Measure::gross_cost).mean;
        cs.number(crow, 6, engine, Unit::money);
        cs.formula(crow, 7, "=" + local(crow, 5) + "-" + local(crow, 6), computed, 10);
        if (v == 0) {
          baseline_row[{d, c}] = crow;
        } else {
          const lxw_row_t b = baseline_row.at({d, c});
          const std::string base = "$" + column_name(c_id_col) + std::to_string(b + 1);
          cs.formula(crow, 8, "=" + local(b, 5) + "-" + local(crow, 5), computed, 14);
          cs.number(crow, 9, r.money_in_budget_year(v, d, year, Measure::savings).mean, Unit::money);
          cs.formula(crow, 10, "=" + local(crow, 8) + "-" + local(crow, 9), computed, 10);
          cs.formula(crow, 11,
                     "=" + sumproduct(base, d, col_at(pv_col + c)) + "-" + sumproduct(me, d, col_at(pv_col + c)) +
                         (facilities ? "+" + local(b, facility_pv_col) + "-" + local(crow, facility_pv_col) : std::string()),
                     computed, 14);
          cs.number(crow, 12, r.money_in_budget_year(v, d, year, Measure::savings_pv).mean, Unit::money);
          cs.formula(crow, 13, "=" + local(crow, 11) + "-" + local(crow, 12), computed, 10);
          cs.number(crow, 14, r.money_in_budget_year(v, d, year, Measure::investment).mean, Unit::money);
          cs.number(crow, 15, r.money_in_budget_year(v, d, year, Measure::contract_net).mean, Unit::money);
          cs.formula(crow, 16, "=" + local(crow, 8) + "-" + local(crow, 14) + "+" + local(crow, 15), computed, 14);
          cs.number(crow, 17, r.money_in_budget_year(v, d, year, Measure::net).mean, Unit::money);
        }
        ++crow;
      }
  const lxw_row_t data_end = crow;
  crow += 1;
  auto note = [&](const std::string& text) { cs.text(crow++, 0, text, book.formats().note); };
  note(Tx(Msg::wb_grey_cells_are_formulas_of_the) +
       std::to_string(s.run.price_year) + Tx(Msg::wb_present_values_discounted_to_the_start));
  note(Tx(Msg::wb_the_formulas_cover_the_costs_of));
  if (facilities)
    note(Tx(Msg::wb_this_scenario_has_facilities_their_empty));
  note(Tx(Msg::wb_the_non_cashable_part_of_state));
  cs.set_width(2, 28);
  cs.finish(1, 4);
  cs.autofilter(0, 0, data_end - 1, c_id_col);
}

} // namespace socinvest
