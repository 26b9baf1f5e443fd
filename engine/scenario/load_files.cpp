// Reading the files of a scenario: the main file and its includes, each checked against the
// limits that keep a hostile file from exhausting memory or the stack (size, binary bytes,
// nesting, alias expansion), then merged section by section into LoadContext::sections. Only
// the structure of the top level is checked here; every section is read by its own file.
#include "scenario/load_context.hpp"

#include <socinvest/report/messages.hpp>

#include <socinvest/files.hpp>

#include <algorithm>
#include <cstdio>
#include <filesystem>

namespace socinvest::detail {

namespace {

namespace fs = std::filesystem;

constexpr std::size_t max_file_bytes = 8 * 1024 * 1024;
constexpr int max_include_depth = 16;

void merge_entries(Entries& into, const YNode& section) {
  for (auto& [key, child] : section.entries()) {
    const std::string& name = key; // (clang 14 cannot capture structured bindings)
    auto it = std::find_if(into.begin(), into.end(), [&](const auto& e) { return e.first == name; });
    if (it != into.end())
      rebind(it->second, child);
    else
      into.emplace_back(key, child);
  }
}

/// The byte offset of a NUL byte or invalid UTF-8, if any.
std::optional<std::size_t> binary_position(const std::string& text) {
  for (std::size_t i = 0; i < text.size();) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c == 0) return i;
    int extra = c < 0x80 ? 0 : (c >> 5) == 6 ? 1 : (c >> 4) == 14 ? 2 : (c >> 3) == 30 ? 3 : -1;
    if (extra < 0 || i + extra >= text.size() + (extra ? 0 : 1)) return i;
    for (int k = 1; k <= extra; ++k)
      if ((static_cast<unsigned char>(text[i + k]) >> 6) != 2) return i;
    i += static_cast<std::size_t>(extra) + 1;
  }
  return std::nullopt;
}

/// Where YAML text nests deeper than `limit`, if it does: yaml-cpp parses nested
/// collections recursively, so 10,000-deep nesting would overflow the stack.
std::optional<std::pair<int, int>> nesting_too_deep(const std::string& text, int limit) {
  int depth = 0, line = 1;
  bool in_single = false, in_double = false, in_comment = false;
  std::size_t line_start = 0;
  auto deep_indent = [&](std::size_t start) {
    // Block nesting: an indentation (spaces and "- ") deeper than twice the limit.
    std::size_t j = start;
    while (j < text.size() && (text[j] == ' ' || text[j] == '-')) ++j;
    return static_cast<int>(j - start) > 2 * limit;
  };
  if (deep_indent(0)) return std::pair{1, 1};
  for (std::size_t i = 0; i < text.size(); ++i) {
    char ch = text[i];
    if (ch == '\n') {
      in_comment = false;
      line_start = i + 1;
      ++line;
      if (deep_indent(line_start)) return std::pair{line, 1};
      continue;
    }
    if (in_comment) continue;
    if (in_double) {
      if (ch == '\\') ++i;
      else if (ch == '"') in_double = false;
      continue;
    }
    if (in_single) {
      if (ch == '\'') in_single = false;
      continue;
    }
    if (ch == '#') in_comment = true;
    else if (ch == '"') in_double = true;
    else if (ch == '\'') in_single = (i == 0 || text[i - 1] == ' ' || text[i - 1] == '[' || text[i - 1] == '{' ||
                                      text[i - 1] == ',' || text[i - 1] == ':');
    else if (ch == '[' || ch == '{') {
      if (++depth > limit) return std::pair{line, static_cast<int>(i - line_start) + 1};
    } else if (ch == ']' || ch == '}') {
      depth = std::max(0, depth - 1);
    }
  }
  return std::nullopt;
}

/// Line and column of a tab in the indentation (the leading blanks) of line `line` or the
/// one before, if there is one.
std::optional<std::pair<int, int>> tab_in_indentation(const std::string& text, int line) {
  std::optional<std::pair<int, int>> found;
  int l = 1;
  for (std::size_t start = 0; start <= text.size() && l <= line; ++l) {
    std::size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    if (l >= line - 1)
      for (std::size_t i = start; i < end && (text[i] == ' ' || text[i] == '\t'); ++i)
        if (text[i] == '\t') {
          if (!found || l == line) found = std::pair{l, static_cast<int>(i - start) + 1};
          break;
        }
    start = end + 1;
  }
  return found;
}

/// Limits on the tree the loader walks once YAML aliases (*name) are resolved. An alias
/// repeats its anchor's whole tree without repeating its text, so a 2 KB file can stand for
/// billions of values; the text limits above cannot see that.
constexpr std::size_t max_expanded_values = 200'000;
constexpr int max_expanded_depth = 128;

/// The first top-level entry whose expanded tree breaks the limits, with what it broke.
/// Walks at most max_expanded_values nodes, so it is fast whatever the file.
std::optional<std::pair<YAML::Node, std::string>> expansion_too_large(const YAML::Node& root) {
  std::size_t seen = 0;
  for (auto top = root.begin(); top != root.end(); ++top) {
    std::vector<std::pair<YAML::Node, int>> stack{{top->second, 1}};
    while (!stack.empty()) {
      auto [n, depth] = stack.back();
      stack.pop_back();
      if (++seen > max_expanded_values)
        return std::pair{top->first, "expands to more than " + std::to_string(max_expanded_values) +
                                         " values once YAML aliases (*name) are resolved"};
      if (depth > max_expanded_depth)
        return std::pair{top->first, "nests deeper than " + std::to_string(max_expanded_depth) +
                                         " levels once YAML aliases (*name) are resolved"};
      if (n.IsMap())
        for (auto it = n.begin(); it != n.end(); ++it) stack.emplace_back(it->second, depth + 1);
      else if (n.IsSequence())
        for (auto it = n.begin(); it != n.end(); ++it) stack.emplace_back(*it, depth + 1);
    }
  }
  return std::nullopt;
}

const std::vector<std::string> top_level_keys = {
    "scenario", "title",  "description", "include", "run",      "departments", "domains", "population",
    "exits",    "costs",  "reimbursement", "price_index", "variants", "indicators", "targets", "attributes",
    "effects"};

const std::string* name_of(LoadContext& ctx, const std::string& path) {
  ctx.file_names.push_back(path);
  return &ctx.file_names.back();
}

/// A problem that stops the load before any section is read.
void fatal_error(LoadContext& ctx, const std::string& file, int line, int column, const Bilingual& msg) {
  ctx.file_error(file, line, column, "", msg);
  ctx.fatal = true;
}

void merge(LoadContext& ctx, const YNode& top);

void load_file(LoadContext& ctx, const std::string& path, const std::string* given_text, std::vector<std::string>& chain,
               const YNode* included_from) {
  Reader& r = ctx.reader;
  std::string text;
  if (given_text) {
    text = *given_text;
  } else {
    // Refused by type before opening: a FIFO would block open() for ever.
    if (auto why = not_a_regular_file(path)) {
      if (included_from) {
        r.error(*included_from, both_languages(Msg::load_include_unreadable, {path, join(chain, " -> ") + " -> " + path, *why}));
        ctx.fatal = true;
        return;
      }
      throw IoError(both_languages(Msg::load_file_unreadable, {path, *why}));
    }
    try {
      text = read_file(path, both_languages(Msg::file_what_scenario), max_file_bytes);
    } catch (const IoError& e) {
      fatal_error(ctx, path, 0, 0, Bilingual(e.what(), e.message(Language::da)));
      return;
    }
  }
  ctx.files.push_back(path);
  ctx.contents.push_back(text);
  const std::string* file = name_of(ctx, path);
  r.set_text(file, text);
  if (text.size() > max_file_bytes) {
    fatal_error(ctx, path, 0, 0, both_languages(Msg::load_file_too_large, {std::to_string(max_file_bytes)}));
    return;
  }
  if (auto bad = binary_position(text)) {
    fatal_error(ctx, path, 0, 0, both_languages(Msg::load_not_text, {std::to_string(*bad + 1)}));
    return;
  }
  if (auto deep = nesting_too_deep(text, 64)) {
    fatal_error(ctx, path, deep->first, deep->second, both_languages(Msg::load_nesting_too_deep));
    return;
  }
  YAML::Node root;
  try {
    root = YAML::Load(text);
  } catch (const YAML::Exception& e) {
    const int line = e.mark.line >= 0 ? e.mark.line + 1 : 0;
    // A tab in the indentation of this line or the one before: yaml-cpp says "illegal tab",
    // "illegal map value" or "illegal block entry", depending on where the tab is.
    if (auto tab = tab_in_indentation(text, line)) {
      fatal_error(ctx, path, tab->first, tab->second, both_languages(Msg::hint_tab, {e.msg}));
      return;
    }
    fatal_error(ctx, path, line, e.mark.column >= 0 ? e.mark.column + 1 : 0,
                both_languages(Msg::load_yaml_syntax_check, {e.msg}));
    return;
  }
  YNode top{root, file, ""};
  if (!root.IsDefined() || root.IsNull()) {
    fatal_error(ctx, path, 1, 1, both_languages(Msg::load_file_empty));
    return;
  }
  if (!root.IsMap()) {
    r.error(top, both_languages(Msg::load_top_not_map,
                                {both_languages(root.IsSequence() ? Msg::diag_type_list : Msg::load_single_value)}));
    ctx.fatal = true;
    return;
  }
  if (auto big = expansion_too_large(root)) {
    const YAML::Mark m = big->first.Mark();
    const std::string key = big->first.IsScalar() ? big->first.Scalar() : std::string();
    ctx.file_error(path, m.line >= 0 ? m.line + 1 : 0, m.column >= 0 ? m.column + 1 : 0, key,
                   big->second + " (at most " + std::to_string(max_expanded_values) + " values and " +
                       std::to_string(max_expanded_depth) + " levels; write the entries out or use fewer aliases)");
    ctx.fatal = true;
    return;
  }
  r.map(top, top_level_keys);
  chain.push_back(path);
  YNode includes = top["include"];
  if (includes.defined()) {
    std::vector<YNode> items;
    if (includes.is_scalar())
      items.push_back(includes);
    else if (r.seq(includes))
      for (std::size_t i = 0; i < includes.size(); ++i) items.push_back(includes.at(i));
    for (const auto& item : items) {
      auto name = r.string(item);
      if (!name) continue;
      fs::path resolved = fs::path(path).parent_path() / *name;
      std::string resolved_text = resolved.lexically_normal().string();
      // The same file under another name (a symbolic link, "dir/../") is a cycle too.
      auto same = std::find_if(chain.begin(), chain.end(), [&](const std::string& earlier) {
        std::error_code ec;
        return earlier == resolved_text || fs::equivalent(earlier, resolved_text, ec);
      });
      if (same != chain.end()) {
        r.error(item, both_languages(Msg::load_include_cycle, {join(chain, " -> ") + " -> " + resolved_text}) +
                          (*same == resolved_text ? Bilingual() : both_languages(Msg::load_same_file_as, {*same})));
        continue;
      }
      if (static_cast<int>(chain.size()) >= max_include_depth) {
        r.error(item, both_languages(Msg::load_includes_too_deep, {std::to_string(max_include_depth)}));
        continue;
      }
      load_file(ctx, resolved_text, nullptr, chain, &item);
    }
  }
  chain.pop_back();
  merge(ctx, top);
}

void merge(LoadContext& ctx, const YNode& top) {
  Reader& r = ctx.reader;
  for (const char* key : {"scenario", "title", "description", "population", "exits", "targets"}) {
    YNode n = top[key];
    if (!n.defined()) continue;
    if (auto it = ctx.sections.whole.find(key); it != ctx.sections.whole.end()) rebind(it->second, n);
    else ctx.sections.whole.emplace(key, n);
  }
  auto section = [&](const char* key, Entries& into) {
    YNode n = top[key];
    if (!n.defined()) return;
    if (!n.is_map()) {
      r.error(n, both_languages(Msg::load_expected_named_entries));
      return;
    }
    merge_entries(into, n);
  };
  section("run", ctx.sections.run);
  section("departments", ctx.sections.departments);
  section("domains", ctx.sections.domains);
  section("reimbursement", ctx.sections.reimbursement);
  section("price_index", ctx.sections.price_index);
  section("variants", ctx.sections.variants);
  section("indicators", ctx.sections.indicators);
  section("attributes", ctx.sections.attributes);
  section("effects", ctx.sections.effects);
  YNode costs = top["costs"];
  if (costs.defined()) {
    if (!costs.is_map()) {
      r.error(costs, both_languages(Msg::load_expected_cost_map));
    } else {
      // A later file's list of cost lines replaces the earlier one whole: warned about
      // when that drops lines (overrides.cpp).
      auto replace_lines = [&](Entries& into, const std::string& name, const YNode& lines) {
        auto it = std::find_if(into.begin(), into.end(), [&](auto& e) { return e.first == name; });
        if (it == into.end()) {
          into.emplace_back(name, lines);
          return;
        }
        warn_replaced_list(ctx, it->second, lines, ListKind::cost_lines, place_of(it->second));
        rebind(it->second, lines);
      };
      for (auto& [key, child] : costs.entries()) {
        if (key == "transitions") {
          if (child.is_map())
            for (auto& [transition, lines] : child.entries()) replace_lines(ctx.sections.transition_costs, transition, lines);
          else
            r.error(child, both_languages(Msg::load_expected_transition_cost_map));
        } else {
          replace_lines(ctx.sections.state_costs, key, child);
        }
      }
    }
  }
}

} // namespace

void read_files(LoadContext& ctx, const std::string& main_path, const std::string* text) {
  std::vector<std::string> chain;
  load_file(ctx, main_path, text, chain, nullptr);
}

} // namespace socinvest::detail
