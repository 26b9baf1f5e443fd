// departments: the budget holders, each with a display name and a financing level
// (municipality, region, state, external). Later sections refer to them by name.
#include "scenario/load_context.hpp"

#include <socinvest/report/messages.hpp>

namespace socinvest::detail {

namespace {
constexpr std::size_t max_departments = 64;
} // namespace

void load_departments(LoadContext& ctx, Scenario& s) {
  Reader& r = ctx.reader;
  if (ctx.sections.departments.empty()) {
    ctx.file_error(ctx.main_file(), 0, 0, "departments", both_languages(Msg::fixed_is_required_at_least_one_department_budget));
    return;
  }
  for (auto& [id, n] : ctx.sections.departments) {
    // Open cases are kept per household as a 64-bit set of departments (enrolment.cpp).
    if (ctx.department_names.size() == max_departments)
      r.error(Reader::key_node(n), both_languages(Msg::departments_too_many,
                                                  {std::to_string(max_departments), std::to_string(max_departments + 1)}));
    Department d;
    d.id = id;
    d.name = id;
    if (n.is_scalar()) {
      d.name = n.scalar();
    } else if (r.map(n, {"name", "level"})) {
      if (n["name"].defined())
        if (auto v = r.text(n["name"])) d.name = *v;
      if (n["level"].defined())
        if (auto v = r.choice<FinancingLevel>(n["level"])) d.level = *v;
    }
    s.departments.push_back(d);
    ctx.department_names.push_back(id);
  }
}

} // namespace socinvest::detail
