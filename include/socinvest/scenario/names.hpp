#pragma once
// The names a user gives things (the scenario, departments, domains, states, variants,
// interventions, indicators, reimbursement rules). They become folder names (out/<scenario>),
// CSV columns and spreadsheet cells, so they are plain words: letters (a-z, also æ, ø, å
// and other Latin letters), digits, '_' and '-', starting with a letter, digit or '_', not
// ending in '-' (it would run into '->' in domain.from->to), at most 64 characters. No '/',
// '..', spaces, control characters, emoji or invisible characters.
#include <string>
#include <string_view>

namespace socinvest {

inline constexpr std::size_t max_name_characters = 64;
/// True when `name` follows the rule of names: letters, digits, '_' and '-', starting with a
/// letter, digit or '_', at most max_name_characters (the message that states it to the
/// user is Msg::diag_invalid_name).
bool is_valid_name(std::string_view name);

/// True when `text` holds a control character or an invisible one (zero-width spaces and
/// joiners, bidirectional marks, soft hyphen, byte-order mark) or is not valid UTF-8.
bool has_invisible_characters(std::string_view text);

/// `text` as a user may be shown it: control and invisible characters as \xNN / <U+NNNN>.
std::string visible(std::string_view text);

} // namespace socinvest
