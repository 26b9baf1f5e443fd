#pragma once
// The accounts money is booked to: every department, then each financing level
// (municipality, region, state, external), then the public sector (municipality + region +
// state) and the total (everyone, funds and housing associations included).
#include <socinvest/scenario/scenario.hpp>

#include <string>
#include <vector>

namespace socinvest {

/// What an account is: a department of the scenario, a financing level (its departments
/// together), the public sector (municipality, region and state) or the total of all parties.
enum class AccountKind : std::uint8_t { department, level, public_sector, total };
/// "department" | "level" | "public_sector" | "total": in money.csv, summary.json, the workbook.
const char* to_string(AccountKind kind);

struct Accounts {
  int departments = 0;
  std::vector<std::string> id;
  std::vector<Text> name; ///< a department's name (both languages); a level's, the public sector's and the total's in English
  std::vector<AccountKind> kind;
  [[nodiscard]] int size() const { return static_cast<int>(id.size()); }
  [[nodiscard]] int level(FinancingLevel l) const { return departments + static_cast<int>(l); }
  [[nodiscard]] int public_sector() const { return departments + financing_level_count; }
  [[nodiscard]] int total() const { return departments + financing_level_count + 1; }
};

Accounts make_accounts(const Scenario& scenario);

/// The index of the account with this id; throws a usage Error listing the accounts (with
/// did-you-mean) otherwise. Commands call it before simulating, so a typo costs no run.
int account_index(const Accounts& accounts, const std::string& id);

/// Adds each department's column into its level, the public sector and the total.
/// `values` is [account][...] with `stride` values per account.
void roll_up(const Scenario& scenario, const Accounts& accounts, std::vector<double>& values, int stride);

} // namespace socinvest
