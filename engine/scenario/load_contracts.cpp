// A variant's contracts: pay-for-results payments from a payer to a payee when an
// indicator reaches a share at the end of a year.
#include "scenario/load_context.hpp"

#include <socinvest/report/messages.hpp>

namespace socinvest::detail {

void load_contracts(LoadContext& ctx, const YNode& n, const Scenario& s, Variant& v) {
  Reader& r = ctx.reader;
  if (!r.seq(n)) return;
  for (std::size_t i = 0; i < n.size(); ++i) {
    YNode c = n.at(i);
    if (!r.map(c, {"name", "payer", "payee", "when", "amount", "amount_per_person", "note"})) continue;
    Contract k;
    k.id = "contract" + std::to_string(i + 1);
    if (c["name"].defined())
      if (auto t = r.string(c["name"])) k.id = *t;
    if (!c["payer"].defined()) r.error_at(c, c["payer"].path, both_languages(Msg::fixed_is_required));
    else if (auto d = r.reference(c["payer"], ctx.department_names, "department")) k.payer = *d;
    if (!c["payee"].defined()) r.error_at(c, c["payee"].path, both_languages(Msg::fixed_is_required));
    else if (auto d = r.reference(c["payee"], ctx.department_names, "department")) k.payee = *d;
    YNode when = c["when"];
    if (!when.defined()) r.error_at(c, when.path, both_languages(Msg::fixed_is_required_indicator_among_at_year_or));
    else if (r.map(when, {"indicator", "among", "at_year", "at_budget_year", "at_least"})) {
      indicator_condition(ctx, when, s, k.indicator, k.among, k.at_year, k.at_budget_year);
      if (!when["at_least"].defined())
        r.error_at(when, when["at_least"].path, both_languages(Msg::fixed_is_required_the_share_0_to_1));
      else if (auto x = r.number(when["at_least"], detail::probability))
        k.at_least = *x;
    }
    bool fixed = c["amount"].defined(), per = c["amount_per_person"].defined();
    if (fixed == per) r.error(c, both_languages(Msg::fixed_give_exactly_one_of_amount_or_amount));
    k.amount = r.quantity_or(c["amount"], 0.0, detail::non_negative_amount);
    k.amount_per_person = r.quantity_or(c["amount_per_person"], 0.0, detail::non_negative_amount);
    if (c["note"].defined())
      if (auto t = r.text(c["note"])) k.note = *t;
    v.contracts.push_back(std::move(k));
  }
}

} // namespace socinvest::detail
