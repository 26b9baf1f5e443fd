#include <socinvest/ledger/accounts.hpp>

#include <socinvest/errors.hpp>
#include <socinvest/scenario/diagnostics.hpp>

#include <algorithm>

namespace socinvest {

const char* to_string(AccountKind kind) {
  switch (kind) {
  case AccountKind::department: return "department";
  case AccountKind::level: return "level";
  case AccountKind::public_sector: return "public_sector";
  case AccountKind::total: return "total";
  }
  return "?";
}

Accounts make_accounts(const Scenario& s) {
  Accounts a;
  a.departments = static_cast<int>(s.departments.size());
  for (const auto& d : s.departments) {
    a.id.push_back(d.id);
    a.name.push_back(d.name);
    a.kind.push_back(AccountKind::department);
  }
  // (Financing levels, the public sector and the total are named in the reader's language
  // by account_label; these English names are for summary.json.)
  const char* level_names[] = {"Municipality", "Region", "State", "External (funds, housing associations)"};
  for (int l = 0; l < financing_level_count; ++l) {
    a.id.push_back(std::string("level:") + name_of(static_cast<FinancingLevel>(l)));
    a.name.push_back(level_names[l]);
    a.kind.push_back(AccountKind::level);
  }
  a.id.push_back("public_sector");
  a.name.push_back("Public sector (municipality, region and state)");
  a.kind.push_back(AccountKind::public_sector);
  a.id.push_back("total");
  a.name.push_back("Total (all parties)");
  a.kind.push_back(AccountKind::total);
  return a;
}

int account_index(const Accounts& a, const std::string& id) {
  const auto it = std::find(a.id.begin(), a.id.end(), id);
  if (it != a.id.end()) return static_cast<int>(it - a.id.begin());
  std::string known;
  for (const auto& k : a.id) known += (known.empty() ? "" : ", ") + k;
  std::string msg = "unknown account '" + id + "'";
  const std::string guess = did_you_mean(id, a.id);
  if (!guess.empty()) msg += "; did you mean '" + guess + "'?";
  throw Error(ExitCode::usage, msg + " (accounts: " + known + ")");
}

void roll_up(const Scenario& s, const Accounts& a, std::vector<double>& values, int stride) {
  for (int d = 0; d < a.departments; ++d) {
    const FinancingLevel level = s.departments[d].level;
    for (int k = 0; k < stride; ++k) {
      const double v = values[static_cast<std::size_t>(d) * stride + k];
      values[static_cast<std::size_t>(a.level(level)) * stride + k] += v;
      if (level != FinancingLevel::external) values[static_cast<std::size_t>(a.public_sector()) * stride + k] += v;
      values[static_cast<std::size_t>(a.total()) * stride + k] += v;
    }
  }
}

} // namespace socinvest
