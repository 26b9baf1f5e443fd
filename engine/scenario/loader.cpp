// The scenario loader: reads the files (load_files.cpp), then every section in a fixed order
// (one file per section, see load_context.hpp), and returns the Scenario only when no
// problem was found. The order below is the order in which problems are reported; the
// messages of one section come together, and a section may refer to what earlier ones
// define (costs to departments and domains, variants to indicators, ...).
#include <socinvest/scenario/loader.hpp>

#include <socinvest/report/messages.hpp>

#include "scenario/load_context.hpp"

#include <socinvest/hash.hpp>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace socinvest {

namespace {

namespace fs = std::filesystem;
using detail::LoadContext;

std::string hex16(std::uint64_t v) {
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(v));
  return buf;
}

/// scenario, title and description; and the naming rule for every named entry, before any
/// section is read.
void load_header(LoadContext& ctx, Scenario& s) {
  auto find = [&](const char* key) -> const detail::YNode* {
    auto it = ctx.sections.whole.find(key);
    return it == ctx.sections.whole.end() ? nullptr : &it->second;
  };
  auto text_of = [&](const char* key) -> std::string {
    const auto* n = find(key);
    auto v = n ? ctx.reader.string(*n) : std::nullopt;
    return v ? *v : std::string{};
  };
  // Title and description are for readers: plain or {da: ..., en: ...}.
  auto bilingual = [&](const char* key) -> Text {
    const auto* n = find(key);
    auto v = n ? ctx.reader.text(*n) : std::nullopt;
    return v ? *v : Text{};
  };
  s.id = text_of("scenario");
  if (!s.id.empty()) detail::check_name(ctx, ctx.sections.whole.at("scenario"), s.id, "scenario");
  detail::check_section_names(ctx);
  s.title = bilingual("title");
  s.description = bilingual("description");
  if (s.id.empty() && ctx.diagnostics.empty())
    ctx.file_error(ctx.main_file(), 1, 1, "scenario", both_languages(Msg::fixed_is_required_a_short_identifier_for_the));
  if (s.title.empty()) s.title = Text(s.id);
}

void load_sections(LoadContext& ctx, Scenario& s) {
  using namespace detail;
  load_header(ctx, s);
  load_departments(ctx, s);
  load_reimbursement(ctx, s);
  load_run(ctx, s);
  load_price_index(ctx);
  load_attributes(ctx, s); // before the domains: links may ask for an attribute
  load_domains(ctx, s);
  load_reimbursement_clocks(ctx, s);
  load_population(ctx, s);
  load_exits(ctx, s);
  load_costs(ctx, s);
  load_indicators(ctx, s);
  load_variants(ctx, s);
  load_targets(ctx, s);
  // Only a scenario without other problems is sized: its numbers are then the real ones.
  if (ctx.diagnostics.empty()) check_size(ctx, s);
}

/// Of every file's bytes and the population CSV's: what `reproduce` and batch reuse compare.
std::string content_hash(const LoadContext& ctx, const Scenario& s) {
  std::uint64_t h = fnv1a_basis;
  for (const auto& c : ctx.contents) h = fnv1a(c, h);
  if (!s.population.csv_path.empty()) {
    std::ifstream in(s.population.csv_path, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    h = fnv1a(ss.str(), h);
  }
  return hex16(h);
}

Scenario load(const LoadOptions& options, const std::string& main_path, const std::string* text) {
  LoadContext ctx(options);
  detail::read_files(ctx, main_path, text);
  Scenario s;
  // Unreadable, empty or unparsable files stop here; anything else (an unknown key, say)
  // is reported together with every problem the sections have.
  if (ctx.fatal) throw InvalidInput(ctx.diagnostics);
  s.files = ctx.files;
  load_sections(ctx, s);
  if (!ctx.diagnostics.empty()) throw InvalidInput(ctx.diagnostics);
  s.content_hash = content_hash(ctx, s);
  s.simulation_key = detail::simulation_key(ctx, s);
  s.warnings = ctx.warnings.items();
  s.ungraded_effects = ctx.ungraded.items();
  return s;
}

} // namespace

Scenario load_scenario(const std::string& path, const LoadOptions& options) {
  return load(options, fs::path(path).lexically_normal().string(), nullptr);
}

Scenario load_scenario_text(const std::string& text, const std::string& name, const std::string& base_dir,
                            const LoadOptions& options) {
  return load(options, (fs::path(base_dir) / name).lexically_normal().string(), &text);
}

} // namespace socinvest
