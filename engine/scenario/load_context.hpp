#pragma once
// What the section loaders share while one scenario is read: the diagnostics and the YAML
// reader, the sections as merged from the main file and its includes, and what earlier
// sections define for later ones to refer to (department names, domain names, ...).
// Internal to engine/scenario/. One file per section of the scenario:
//
//   load_files.cpp          the files: includes, text limits, merging their sections
//   load_run.cpp            run (start, horizon, cycle, iterations, seed, discounting)
//   load_departments.cpp    departments (budget holders and their financing level)
//   load_domains.cpp        domains (states, transitions, links, entry, ageing out)
//   load_population.cpp     population (synthetic or CSV) and exits
//   load_costs.cpp          reimbursement, price_index and costs (per state, per transition)
//   load_indicators.cpp     indicators and targets
//   load_variants.cpp       variants (extends chains, merging inherited interventions)
//   load_interventions.cpp  one intervention (eligibility, capacity, costs)
//   load_effects.cpp        an intervention's effects, written out or from the effect library
//   load_contracts.cpp      a variant's pay-for-results contracts
//   cross_checks.cpp        every check that involves more than one section
//   loader.cpp              load_scenario(): the order in which the sections are read
//
// A new key of a section is read (and validated) in that section's file; a new check that
// needs two sections goes into cross_checks.cpp and is called where the second is read.
#include "scenario/yaml_reader.hpp"

#include <socinvest/scenario/loader.hpp>

#include <deque>
#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

namespace socinvest::detail {

/// Named entries of a section, in first-seen order; a later file's entry replaces an earlier one.
using Entries = std::vector<std::pair<std::string, YNode>>;

/// The scenario's sections, merged over the main file and its includes (load_files.cpp).
struct Sections {
  /// Sections that a later file replaces as a whole: scenario, title, description,
  /// population, exits, targets.
  std::map<std::string, YNode> whole;
  Entries run, departments, domains, reimbursement, price_index, variants, indicators;
  Entries attributes; ///< attributes: merged by name, like departments
  Entries effects;    ///< the effect library (load_effects.cpp): merged by name, like departments
  Entries state_costs, transition_costs; ///< costs: split into domain.state and transitions
};

struct LoadContext {
  explicit LoadContext(const LoadOptions& load_options) : options(load_options), reader(diagnostics, &warnings) {}
  LoadContext(const LoadContext&) = delete;
  LoadContext& operator=(const LoadContext&) = delete;

  LoadOptions options;
  Diagnostics diagnostics;
  Diagnostics warnings; ///< valid but likely not meant (overrides.cpp); Scenario::warnings
  Diagnostics ungraded; ///< effects without an evidence grade; Scenario::ungraded_effects
  Reader reader;        ///< records into `diagnostics` and `warnings`

  // ----- the files (load_files.cpp) ---------------------------------------------------
  /// Set when a file cannot be read or parsed: the sections are not read then.
  bool fatal = false;
  /// The file names YNodes point to (a deque: their addresses stay put).
  std::deque<std::string> file_names;
  std::vector<std::string> files;    ///< every file read, main file first
  std::vector<std::string> contents; ///< their text, for the content hash
  Sections sections;

  // ----- what earlier sections define for later ones ------------------------------------
  std::vector<std::string> department_names, domain_names, reimbursement_names, indicator_names;
  std::vector<std::string> attribute_names; ///< load_attributes.cpp
  std::map<int, double> price_index; ///< year -> index (load_costs.cpp)
  /// Reimbursement rules with a clock or legacy shares (index, node), read once the domains are.
  std::vector<std::pair<int, YNode>> reimbursement_clocks;
  /// domain.state rows whose transitions had errors: no follow-on errors about their routes.
  std::set<std::string> doubtful_rows;
  bool start_given = false; ///< run.start was given (intervention starts are checked against it)
  YNode iterations_node;    ///< run.iterations, where a too-large run is reported

  [[nodiscard]] const std::string& main_file() const { return files.front(); }
  /// A problem with a place but no node (a missing section is reported at its file).
  void file_error(const std::string& file, int line, int column, const std::string& path, const Bilingual& message) {
    diagnostics.add(diagnostic(file, line, column, path, message));
  }
};

// ----- the sections, in the files named above ----------------------------------------------
/// Reads the main file (or `text`, when given) and its includes into ctx.sections.
void read_files(LoadContext& ctx, const std::string& main_path, const std::string* text);

void load_departments(LoadContext& ctx, Scenario& s);
void load_reimbursement(LoadContext& ctx, Scenario& s);
void load_run(LoadContext& ctx, Scenario& s);
void load_price_index(LoadContext& ctx);
/// The refusion clocks of the reimbursement rules (their states: after load_domains).
void load_reimbursement_clocks(LoadContext& ctx, Scenario& s);
void load_domains(LoadContext& ctx, Scenario& s);
/// attributes: persons' and households' attributes (load_attributes.cpp).
void load_attributes(LoadContext& ctx, Scenario& s);
void load_population(LoadContext& ctx, Scenario& s);
void load_exits(LoadContext& ctx, Scenario& s);
void load_costs(LoadContext& ctx, Scenario& s);
void load_indicators(LoadContext& ctx, Scenario& s);
void load_targets(LoadContext& ctx, Scenario& s);
void load_variants(LoadContext& ctx, Scenario& s);
/// One intervention of variant `path`, its layers being the extends chain, root first.
Intervention load_intervention(LoadContext& ctx, const std::string& name, const std::vector<YNode>& layers,
                               const Scenario& s, const std::string& path);
void load_contracts(LoadContext& ctx, const YNode& n, const Scenario& s, Variant& v);
/// An intervention's `effects:` list at `list`, appended to `out`: effects written out and
/// `{from_library: NAME, with: {...}}` references to the effect library (sections.effects).
void load_effects(LoadContext& ctx, const YNode& list, const Scenario& s, std::vector<Effect>& out);

// ----- helpers more than one section uses ---------------------------------------------------
// load_domains.cpp
/// {state: probability, ...} over the states of `domain`, summing to 1; 'none' allowed when allow_none.
StateDistribution state_distribution(LoadContext& ctx, const YNode& n, const Scenario& s, int domain, bool allow_none);
/// "domain.state" -> indices, with errors at `value`'s key (or at `value`).
bool domain_state(LoadContext& ctx, const std::string& key, const YNode& value, const Scenario& s, int& dom, int& st);
/// "from->to" within one domain.
bool transition_names(LoadContext& ctx, const YNode& n, const Domain& d, int& from, int& to);
// load_attributes.cpp
/// {attribute: category or [categories]} (exactly one attribute): a condition on a person's
/// or household's attribute; `level` set to the attribute's level. Nothing when refused.
std::optional<AttributeCondition> attribute_condition(LoadContext& ctx, const YNode& n, const Scenario& s,
                                                      Attribute::Level* level = nullptr);
// load_costs.cpp
/// Moves an amount from its own price year to the scenario's, by the price index, and
/// records both on it (Quantity::given_price_year, price_factor).
void rescale(LoadContext& ctx, const YNode& at, Quantity& q, int from_year, int to_year);
/// The support states (or, `legacy`, those with a legacy share) of a refusion clock, as
/// "domain.state, ..." for messages.
std::string clock_support_states(const Scenario& s, const ReimbursementRule::Clock& clock, bool legacy);
// load_interventions.cpp
/// {share: 0 to 0.99, source: text}: a haircut on effects (run.effect_haircut, an
/// intervention's effect_haircut).
EffectHaircut effect_haircut(LoadContext& ctx, const YNode& n);
// load_indicators.cpp
/// {indicator, among, at_year | at_budget_year} common to targets and contracts.
void indicator_condition(LoadContext& ctx, const YNode& n, const Scenario& s, int& indicator, Group& among, int& at_year,
                         int& at_budget_year);

// ----- overrides (overrides.cpp) -----------------------------------------------------------
/// What a list is, for the warning when a later one replaces it.
enum class ListKind { cost_lines, intervention_costs, effects, contracts };
/// Warns when `later` replaces the list `earlier` (from `earlier_origin`: "file:line", or
/// "variant x (file:line)") and drops items of it; silent when every item is kept (matched
/// by name, note or department, see the .cpp), when `later` is tagged `!replace`, or when
/// it is empty (`[]`: none, deliberately).
void warn_replaced_list(LoadContext& ctx, const YNode& earlier, const YNode& later, ListKind kind,
                        const Bilingual& earlier_origin);
/// Inherited contracts that no longer fit the variant: a fixed amount to a payee whose
/// grant the variant cut below that amount.
/// `contracts_from[i]`: the variant whose contracts variant i has (itself when it writes
/// them, empty without contracts); `extends_node[i]` where variant i says `extends`.
void check_inherited_contracts(LoadContext& ctx, const Scenario& s, const std::vector<std::string>& contracts_from,
                               const std::vector<YNode>& extends_node);

// ----- cross-section checks (cross_checks.cpp) -----------------------------------------------
/// A name that becomes a folder, column or cell follows the naming rule (names.hpp).
void check_name(LoadContext& ctx, const YNode& at, const std::string& name, const char* what);
/// The names of every named entry of departments, reimbursement, domains, indicators and variants.
void check_section_names(LoadContext& ctx);
/// A hazard ratio (link or effect) needs a monthly probability in transitions to multiply.
void require_route(LoadContext& ctx, const YNode& at, const Domain& d, int from, int to, const char* what);
/// An intervention must start within the run.
void check_start_within_run(LoadContext& ctx, const YNode& at, const Scenario& s, int start_month);
/// The whole run (population x horizon x iterations x variants) fits the machine.
void check_size(LoadContext& ctx, const Scenario& s);

// ----- the simulation key (simulation_key.cpp) -----------------------------------------------
/// Scenario::simulation_key of the merged sections (and the population CSV's bytes).
std::string simulation_key(const LoadContext& ctx, const Scenario& s);

} // namespace socinvest::detail
