#include "cli/shared.hpp"

#include <socinvest/report/messages.hpp>
#include <socinvest/errors.hpp>
#include <socinvest/report/html_report.hpp>
#include <socinvest/report/workbook.hpp>
#include <socinvest/scenario/loader.hpp>

#include <ctime>
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
    throw Error(ExitCode::usage, "--variant: no variant '" + name + "' in " + file + " (variants: " + known + ")");
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

void print_load_warnings(const Scenario& s, bool quiet) {
  if (quiet) return;
  for (const auto& w : s.warnings) std::cerr << w.format_warning() << "\n";
}

std::string message_line(const Error& e) {
  std::string msg = e.what();
  if (!msg.empty() && msg.back() != '\n') msg += '\n';
  return msg;
}

int run_reporting_errors(const std::function<int()>& command, const Interrupt& interrupt) {
  try {
    return command();
  } catch (const Error& e) {
    std::cerr << (e.code() == ExitCode::io ? "error: " : "") << message_line(e);
    // Interrupted: 128 + the signal, whichever raised it (130 SIGINT, 143 SIGTERM).
    return e.code() == ExitCode::interrupted ? interrupt.exit_code() : static_cast<int>(e.code());
  } catch (const std::bad_alloc&) {
    std::cerr << "error: out of memory: the run needs more memory than this machine has; use fewer iterations, "
                 "households, years, variants or --trace households (nothing was written)\n";
    return static_cast<int>(ExitCode::too_large);
  } catch (const std::exception& e) {
    std::cerr << "internal error: " << e.what() << "\n(this is a bug in socinvest; please report it with the scenario)\n";
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

std::shared_ptr<CLI::Formatter> help_formatter() { return std::make_shared<WrappingFormatter>(); }

} // namespace socinvest::cli
