#include "cli/shared.hpp"

#include <socinvest/report/messages.hpp>
#include <socinvest/errors.hpp>
#include <socinvest/report/html_report.hpp>
#include <socinvest/report/workbook.hpp>
#include <socinvest/scenario/loader.hpp>

#include <ctime>
#include <regex>
#include <filesystem>
#include <iostream>
#include <new>
#include <sstream>

namespace socinvest::cli {

namespace fs = std::filesystem;

namespace {

std::string shell_quoted(const std::string& arg) {
  const bool plain = !arg.empty() && arg.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                                           "0123456789_-./:=,+@%") == std::string::npos;
  if (plain) return arg;
  std::string out = "'";
  for (char c : arg) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

} // namespace

std::string command_line(int argc, char** argv) {
  std::string line;
  for (int i = 0; i < argc; ++i) line += (i ? " " : "") + shell_quoted(argv[i]);
  return line;
}

std::string utc_now() {
  std::time_t t = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

Scenario load_with_population(const std::string& file) {
  Scenario s = load_scenario(file);
  if (!s.population.csv_path.empty()) (void)read_population_csv(s); // validate the extract too
  return s;
}

int variant_or_usage(const Scenario& s, const std::string& name, const std::string& file) {
  int v = s.variant_index(name);
  if (v <= 0) {
    std::string known;
    for (std::size_t i = 1; i < s.variants.size(); ++i) known += (known.empty() ? "" : ", ") + s.variants[i].id;
    throw Error(ExitCode::usage, both_languages(Msg::usage_no_variant, {name, file, known}));
  }
  return v;
}

std::unique_ptr<tbb::global_control> limit_threads(int threads) {
  if (threads <= 0) return nullptr;
  return std::make_unique<tbb::global_control>(tbb::global_control::max_allowed_parallelism,
                                               static_cast<std::size_t>(threads));
}

StagedFolder::StagedFolder(Interrupt& interrupt, const RunFlags& flags, const std::string& default_path)
    : interrupt_(interrupt), cooperative_(interrupt), folder_(flags.out.empty() ? default_path : flags.out, flags.force) {}

void StagedFolder::commit() {
  if (interrupt_.raised.load()) throw Cancelled();
  folder_.commit();
}

void warn_if_few_iterations(int iterations, bool quiet, Language lang) {
  if (quiet || iterations >= few_iterations) return;
  std::cerr << format_message(lang,
                              iterations < 2 ? Msg::warn_few_iterations_one : Msg::warn_few_iterations,
                              {std::to_string(iterations), std::to_string(few_iterations)})
            << "\n";
}

void print_load_warnings(const Scenario& s, bool quiet, Language lang) {
  if (quiet) return;
  for (const auto& w : s.warnings) std::cerr << w.format_warning(lang) << "\n";
}

std::string message_line(const Error& e, Language lang) {
  std::string msg = e.message(lang);
  if (!msg.empty() && msg.back() != '\n') msg += '\n';
  return msg;
}

int run_reporting_errors(const std::function<int()>& command, const Interrupt& interrupt, Language lang) {
  try {
    return command();
  } catch (const Error& e) {
    std::cerr << (e.code() == ExitCode::io ? T(lang, Msg::diag_error_prefix) : "") << message_line(e, lang);
    // Interrupted: 128 + the signal, whichever raised it (130 SIGINT, 143 SIGTERM).
    return e.code() == ExitCode::interrupted ? interrupt.exit_code() : static_cast<int>(e.code());
  } catch (const std::bad_alloc&) {
    std::cerr << T(lang, Msg::err_out_of_memory) << "\n";
    return static_cast<int>(ExitCode::too_large);
  } catch (const std::exception& e) {
    std::cerr << format_message(lang, Msg::err_internal, {e.what()}) << "\n";
    return static_cast<int>(ExitCode::failure);
  }
}

namespace {

constexpr std::size_t help_width = 80;

/// `text` with line breaks between words so that no line is wider than `width` (a word
/// wider than that stays whole); its own line breaks are kept.
std::string wrapped(const std::string& text, std::size_t width) {
  std::string out, line, word;
  auto flush_word = [&] {
    if (word.empty()) return;
    if (!line.empty() && line.size() + 1 + word.size() > width) {
      out += line + '\n';
      line.clear();
    }
    line += (line.empty() ? "" : " ") + word;
    word.clear();
  };
  for (char c : text) {
    if (c == ' ') flush_word();
    else if (c == '\n') {
      flush_word();
      out += line + '\n';
      line.clear();
    } else word += c;
  }
  flush_word();
  return out + line;
}

/// CLI11's layout (names in a column of 30, descriptions beside them) with the
/// descriptions, the command's description and the footer wrapped at 80 columns; CLI11
/// indents a description's every line to the column.
class WrappingFormatter : public CLI::Formatter {
public:
  std::string make_option_desc(const CLI::Option* opt) const override {
    return wrapped(CLI::Formatter::make_option_desc(opt), help_width - get_column_width());
  }
  std::string make_subcommand(const CLI::App* sub) const override {
    std::stringstream out;
    CLI::detail::format_help(out, sub->get_display_name(true), wrapped(sub->get_description(), help_width - get_column_width()),
                             get_column_width());
    return out.str();
  }
  std::string make_description(const CLI::App* app) const override {
    return wrapped(CLI::Formatter::make_description(app), help_width);
  }
  std::string make_footer(const CLI::App* app) const override { return wrapped(CLI::Formatter::make_footer(app), help_width); }
};

} // namespace

std::shared_ptr<CLI::Formatter> help_formatter(Language lang) {
  auto f = std::make_shared<WrappingFormatter>();
  // CLI11's own words in the usage line and the headings (its labels: Formatter.hpp).
  const std::pair<const char*, Msg> labels[] = {
      {"Usage", Msg::help_label_usage},          {"OPTIONS", Msg::help_label_options_badge},
      {"SUBCOMMAND", Msg::help_label_command},   {"SUBCOMMANDS", Msg::help_label_commands},
      {"Positionals", Msg::help_label_positionals}, {"REQUIRED", Msg::help_label_required}};
  for (const auto& [label, text] : labels) f->label(label, T(lang, text));
  return f;
}

void localise_help(CLI::App& app, Language lang) {
  app.description(T(lang, Msg::help_program));
  app.footer(T(lang, Msg::help_exit_codes));
  auto localise = [lang](CLI::App& a) {
    if (CLI::Option* help = a.get_help_ptr()) help->description(T(lang, Msg::help_help_flag));
    if (CLI::Option* version = a.get_option_no_throw("--version")) version->description(T(lang, Msg::help_version_flag));
    for (CLI::Option* o : a.get_options())
      if (o->get_group() == "Options") o->group(T(lang, Msg::help_group_options));
  };
  localise(app);
  for (CLI::App* sub : app.get_subcommands([](const CLI::App*) { return true; })) {
    localise(*sub);
    sub->group(T(lang, Msg::help_group_commands));
  }
  const Language l = lang;
  app.failure_message([l](const CLI::App* a, const CLI::Error& e) { return usage_error_text(a, e, l); });
}

std::string usage_error_text(const CLI::App* app, const CLI::Error& e, Language lang) {
  if (lang == Language::en) return CLI::FailureMessage::simple(app, e);
  // CLI11's messages (CLI/Error.hpp, CLI/Validators.hpp) by their English pattern; one this
  // table does not know keeps its English words inside a Danish frame.
  const std::string what = e.what();
  std::smatch m;
  std::string text;
  static const std::regex not_expected(R"(The following arguments? (?:was|were) not expected: (.*))");
  static const std::regex required(R"((.*) is required)");
  static const std::regex missing(R"((.*): (\d+) required (.*) missing)");
  static const std::regex range(R"((.*): Value (.*) not in range (.*) to (.*))");
  static const std::regex set(R"((.*): (.*) not in (\{.*\}))");
  static const std::regex convert(R"(Could not convert: (.*) = (.*))");
  static const std::regex decimal_text(R"((.*): '(.*)' is not a whole decimal number \(digits 0-9 only\))");
  if (what == "A subcommand is required") text = T(lang, Msg::usage_command_required);
  else if (std::regex_match(what, m, not_expected))
    text = format_message(lang, what.find("arguments were") != std::string::npos ? Msg::usage_not_expected : Msg::usage_not_expected_one,
                          {m[1].str()});
  else if (std::regex_match(what, m, missing)) text = format_message(lang, Msg::usage_value_missing, {m[1].str(), m[2].str(), m[3].str()});
  else if (std::regex_match(what, m, required)) text = format_message(lang, Msg::usage_required, {m[1].str()});
  else if (std::regex_match(what, m, range))
    text = format_message(lang, Msg::usage_not_in_range, {m[1].str(), m[2].str(), m[3].str(), m[4].str()});
  else if (std::regex_match(what, m, decimal_text))
    text = m[1].str() + ": " + format_message(lang, Msg::usage_not_decimal, {m[2].str()});
  else if (std::regex_match(what, m, set)) text = format_message(lang, Msg::usage_not_in_set, {m[1].str(), m[2].str(), m[3].str()});
  else if (std::regex_match(what, m, convert)) text = format_message(lang, Msg::usage_could_not_convert, {m[1].str(), m[2].str()});
  else text = format_message(lang, Msg::usage_other, {what});
  return text + "\n" + T(lang, Msg::usage_run_with_help) + "\n";
}

} // namespace socinvest::cli
