#include <socinvest/batch/batch.hpp>

#include "scenario/yaml_reader.hpp"

#include <socinvest/analysis.hpp>
#include <socinvest/decision/evidence.hpp>
#include <socinvest/decision/sweep.hpp>
#include <socinvest/files.hpp>
#include <socinvest/hash.hpp>
#include <socinvest/report/batch_report.hpp>
#include <socinvest/report/format.hpp>
#include <socinvest/report/messages.hpp>
#include <socinvest/report/output_folder.hpp>
#include <socinvest/report/outputs.hpp>
#include <socinvest/report/tables.hpp>
#include <socinvest/scenario/loader.hpp>
#include <socinvest/version.hpp>

#include <tbb/parallel_for.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <mutex>
#include <sstream>
#include <string_view>

namespace socinvest {

namespace fs = std::filesystem;

namespace {

std::string checksum(const std::string& bytes) {
  const std::uint64_t h = fnv1a(bytes);
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(h));
  return buf;
}

struct Unit {
  std::size_t item = 0;
  const BatchItem* spec = nullptr;
  const Scenario* scenario = nullptr;
  std::uint64_t seed = 0;
  int iterations = 0;
  bool evidence_shares = false; ///< the item's, else the manifest's
  std::string key;
  std::string folder;
};

/// The figures the batch report shows, per variant (read back by name from batch.csv).
constexpr Headline batch_headlines[] = {Headline::npv,          Headline::npv_public_sector, Headline::npv_municipality,
                                        Headline::investment_pv, Headline::savings_pv,        Headline::p_break_even,
                                        Headline::p_break_even_5y, Headline::p_break_even_10y};

std::string headline_csv(const Results& r) {
  std::string out = "variant,measure,mean,se,p5,p50,p95\n";
  for (const auto& vs : r.variants)
    for (Headline h : batch_headlines) {
      const Stat s = vs.headline(h);
      out += csv_text(r.scenario->variants[vs.variant].id) + "," + name(h) + "," + exact_number(s.mean) + "," +
             exact_number(s.se) + "," + exact_number(s.p5) + "," + exact_number(s.p50) + "," + exact_number(s.p95) + "\n";
    }
  // Evidence shares (an item with evidence_shares: true): the variant's mean figures alone, no
  // spread (they are of expected net present values).
  for (const auto& e : r.evidence_shares)
    for (const auto& [measure, value] : evidence_share_measures(e))
      out += csv_text(r.scenario->variants[e.variant].id) + "," + measure + "," + exact_number(value) + ",,,,\n";
  return out;
}

/// A unit's folder, items/<label>-<the key's first 8 hex digits>: the label (or the scenario
/// file's name) in lower-case letters and digits, æ, ø, å written ae, oe, aa, every other run
/// of characters one '-', at most 40 characters, so the name is safe on any file system.
/// A batch written by an older version named its folders by the full key (items/<key>):
/// such a folder is renamed to the new name, so resuming that batch reuses it.
std::string unit_folder(const fs::path& items, const BatchItem& item, const std::string& key) {
  const std::string text = item.label.empty() ? fs::path(item.scenario_file).stem().string() : item.label;
  std::string slug;
  for (std::size_t i = 0; i < text.size() && slug.size() < 40; ++i) {
    const unsigned char c = static_cast<unsigned char>(text[i]);
    const std::string_view rest(text.data() + i, text.size() - i);
    std::string add;
    if (std::isalnum(c) && c < 0x80) add = static_cast<char>(std::tolower(c));
    else if (rest.starts_with("\u00e6") || rest.starts_with("\u00c6")) add = "ae", ++i;
    else if (rest.starts_with("\u00f8") || rest.starts_with("\u00d8")) add = "oe", ++i;
    else if (rest.starts_with("\u00e5") || rest.starts_with("\u00c5")) add = "aa", ++i;
    else if (!slug.empty() && slug.back() != '-') add = "-";
    slug += add;
  }
  if (slug.size() > 40) slug.resize(40);
  while (!slug.empty() && slug.back() == '-') slug.pop_back();
  const fs::path folder = items / ((slug.empty() ? std::string() : slug + "-") + key.substr(0, 8));
  std::error_code ec;
  if (!fs::exists(folder, ec) && fs::is_directory(items / key, ec)) fs::rename(items / key, folder, ec);
  return folder.string();
}

/// A unit's folder is reusable when item.json lists every file with the right checksum.
bool intact(const Unit& u) {
  const fs::path meta = fs::path(u.folder) / "item.json";
  std::error_code ec;
  if (!fs::exists(meta, ec)) return false;
  try {
    YAML::Node n = YAML::Load(read_file(meta.string(), both_languages(Msg::file_what_batch_item_record)));
    if (!n["key"] || n["key"].as<std::string>() != u.key || !n["files"] || !n["files"].IsMap()) return false;
    if (n["files"].size() == 0) return false;
    for (auto it = n["files"].begin(); it != n["files"].end(); ++it) {
      const fs::path f = fs::path(u.folder) / it->first.as<std::string>();
      if (not_a_regular_file(f.string()) || checksum(read_file(f.string(), both_languages(Msg::file_what_batch_item_file))) != it->second.as<std::string>())
        return false;
    }
    return true;
  } catch (const std::exception&) {
    return false;
  }
}

void compute(const Unit& u, const std::string& identity, Kernel kernel, const std::atomic<bool>* cancel) {
  RunOptions o;
  o.iterations = u.iterations;
  o.seed = u.seed;
  o.has_seed = true;
  o.threads = 1; // independent units fill the cores
  o.kernel = kernel;
  o.cancel = cancel;
  for (const auto& name : u.spec->variants) o.variants.push_back(u.scenario->variant_index(name));
  std::map<std::string, std::string> files;
  if (u.spec->kind == "tornado") {
    SweepTarget target;
    target.variant = o.variants.empty() ? 1 : o.variants.front();
    const Tornado t = tornado(*u.scenario, o, target);
    files["tornado.csv"] = tornado_csv(t);
    o.parameters.central = false;
  }
  auto a = analyse(*u.scenario, o);
  if (cancel && cancel->load()) throw Cancelled();
  // The one computation run --evidence-shares and compare use; here on this process (a batch
  // item is one rank's, on one thread).
  if (u.evidence_shares) a->results.evidence_shares = evidence_shares(*u.scenario, o, a->results);
  if (cancel && cancel->load()) throw Cancelled();
  files["headline.csv"] = headline_csv(a->results);
  files["money.csv"] = money_csv(a->results);
  files["money_project_years.csv"] = money_project_years_csv(a->results);
  files["outcomes.csv"] = outcomes_csv(a->results);
  files["outcomes_project_years.csv"] = outcomes_project_years_csv(a->results);
  files["targets.csv"] = targets_csv(a->results);
  // The item's record: what it is, and a checksum of every file, checked before reuse.
  std::string meta = "{\"key\": " + json_string(u.key) + ", \"label\": " + json_string(u.spec->label) +
                     ", \"scenario\": " + json_string(u.spec->scenario_file) + ", \"scenario_hash\": " +
                     json_string(u.scenario->content_hash) + ", \"kind\": " + json_string(u.spec->kind) +
                     ", \"seed\": " + std::to_string(u.seed) + ", \"iterations\": " + std::to_string(u.iterations) +
                     ", \"engine_version\": " + json_string(engine_version()) + ", \"engine_identity\": " +
                     json_string(identity) + ", \"kernel\": " + json_string(kernel_name(kernel)) + ", \"files\": {";
  bool first = true;
  for (const auto& [name, content] : files) {
    meta += (first ? "" : ", ") + json_string(name) + ": " + json_string(checksum(content));
    first = false;
  }
  meta += "}}\n";
  OutputFolder folder(u.folder, true); // replaces a damaged earlier attempt (a result folder only)
  for (const auto& [name, content] : files) folder.write(name, content);
  folder.write("item.json", meta); // last: its presence with good checksums marks the unit done
  folder.commit();
}

} // namespace

BatchManifest load_batch_manifest(const std::string& path) {
  // A FIFO or a device is refused by its type, never opened (it would block).
  return load_batch_manifest_text(read_file(path, both_languages(Msg::file_what_batch_manifest), 8u << 20), path);
}

BatchManifest load_batch_manifest_text(const std::string& text, const std::string& path) {
  Diagnostics diags;
  detail::Reader r(diags);
  BatchManifest m;
  m.file = path;
  std::error_code ec;
  YAML::Node root;
  try {
    root = YAML::Load(text);
  } catch (const YAML::Exception& e) {
    diags.add(diagnostic(path, e.mark.line + 1, e.mark.column + 1, "", both_languages(Msg::diag_yaml_syntax, {e.msg})));
    throw InvalidInput(diags);
  }
  detail::YNode top{root, &m.file, ""};
  r.set_text(&m.file, text);
  const fs::path base = fs::path(path).parent_path();
  if (r.map(top, {"batch", "output", "iterations", "evidence_shares", "items"})) {
    if (top["batch"].defined())
      if (auto v = r.string(top["batch"])) m.id = *v;
    if (top["output"].defined()) {
      if (auto v = r.string(top["output"])) m.output = (base / *v).lexically_normal().string();
    } else {
      m.output = (base / "out" / (fs::path(path).stem().string())).lexically_normal().string();
    }
    if (top["iterations"].defined())
      if (auto v = r.integer(top["iterations"], 1, 10'000'000)) m.iterations = static_cast<int>(*v);
    if (top["evidence_shares"].defined())
      if (auto v = r.boolean(top["evidence_shares"])) m.evidence_shares = *v;
    detail::YNode items = top["items"];
    if (!items.defined()) r.error_at(top, "items", both_languages(Msg::batch_items_required));
    else if (r.seq(items))
      for (std::size_t i = 0; i < items.size(); ++i) {
        detail::YNode it = items.at(i);
        if (!r.map(it, {"scenario", "label", "variants", "seeds", "seed", "iterations", "sweep", "evidence_shares"})) continue;
        BatchItem b;
        if (!it["scenario"].defined()) r.error_at(it, it["scenario"].path, both_languages(Msg::batch_scenario_required));
        else if (auto v = r.string(it["scenario"])) {
          b.scenario_file = (base / *v).lexically_normal().string();
          if (!fs::is_regular_file(b.scenario_file, ec)) r.error(it["scenario"], both_languages(Msg::batch_scenario_unreadable, {b.scenario_file}));
        }
        b.label = it["label"].defined() ? r.string(it["label"]).value_or("") : fs::path(b.scenario_file).stem().string();
        if (it["variants"].defined() && r.seq(it["variants"]))
          for (std::size_t k = 0; k < it["variants"].size(); ++k)
            if (auto v = r.string(it["variants"].at(k))) b.variants.push_back(*v);
        if (it["seeds"].defined() && r.seq(it["seeds"]))
          for (std::size_t k = 0; k < it["seeds"].size(); ++k)
            if (auto v = r.seed(it["seeds"].at(k))) b.seeds.push_back(*v);
        if (it["seed"].defined())
          if (auto v = r.seed(it["seed"])) b.seeds.push_back(*v);
        if (it["iterations"].defined())
          if (auto v = r.integer(it["iterations"], 1, 10'000'000)) b.iterations = static_cast<int>(*v);
        if (it["sweep"].defined())
          if (auto v = r.choice(it["sweep"], {"tornado"})) b.kind = "tornado";
        if (it["evidence_shares"].defined()) b.evidence_shares = r.boolean(it["evidence_shares"]);
        m.items.push_back(std::move(b));
      }
  }
  if (!diags.empty()) throw InvalidInput(diags);
  return m;
}

BatchReport run_batch(const BatchManifest& m, const BatchOptions& options) {
  BatchReport report;
  report.output = options.output.empty() ? m.output : options.output;
  // Under MPI (options.ranks): every rank loads and plans the same units, rank 0 alone
  // decides which are missing; a failure on any rank is agreed on before the next step.
  Ranks* ranks = options.ranks && options.ranks->size() > 1 ? options.ranks : nullptr;
  const bool root = !ranks || ranks->rank() == 0;
  std::map<std::string, std::unique_ptr<Scenario>> scenarios;
  const std::string identity = options.engine_identity.empty() ? engine_identity() : options.engine_identity;
  std::vector<Unit> units;
  std::vector<std::size_t> distinct, pending;
  std::exception_ptr failure;
  try {
    // Load every scenario first: an invalid one stops the batch before anything runs.
    Diagnostics diags;
    for (const auto& item : m.items) {
      if (scenarios.count(item.scenario_file)) continue;
      try {
        scenarios[item.scenario_file] = std::make_unique<Scenario>(load_scenario(item.scenario_file));
      } catch (const InvalidInput& e) {
        for (const auto& d : e.diagnostics().items()) diags.add(d);
        continue;
      }
      const Scenario& s = *scenarios[item.scenario_file];
      if (options.loaded) options.loaded(s);
      for (const auto& v : item.variants)
        if (s.variant_index(v) <= 0)
          diags.add(diagnostic(m.file, 0, 0, "items", both_languages(Msg::batch_no_variant, {item.scenario_file, v})));
    }
    if (!diags.empty()) throw InvalidInput(diags);

    for (std::size_t i = 0; i < m.items.size(); ++i) {
      const BatchItem& item = m.items[i];
      const Scenario& s = *scenarios[item.scenario_file];
      std::vector<std::uint64_t> seeds = item.seeds.empty() ? std::vector<std::uint64_t>{s.run.seed} : item.seeds;
      for (std::uint64_t seed : seeds) {
        Unit u;
        u.item = i;
        u.spec = &item;
        u.scenario = &s;
        u.seed = seed;
        u.iterations = item.iterations > 0 ? item.iterations : m.iterations > 0 ? m.iterations : s.run.iterations;
        u.evidence_shares = item.evidence_shares.value_or(m.evidence_shares);
        std::string variants;
        for (const auto& v : item.variants) variants += v + ",";
        // Keyed on what computes the result, not the version string: a rebuilt engine recomputes.
        // The evidence shares only when asked for, so the keys of earlier batches stay.
        u.key = checksum(identity + "|" + std::string(kernel_name(options.kernel)) + "|" + s.content_hash + "|" + item.kind + "|" + variants + "|" +
                         std::to_string(seed) + "|" + std::to_string(u.iterations) +
                         (u.evidence_shares ? "|evidence_shares" : ""));
        u.folder = unit_folder(fs::path(report.output) / "items", item, u.key);
        units.push_back(std::move(u));
      }
    }
    // One folder per key: a unit with the key of an earlier one (under another label) shares
    // its folder; and readable names stay unique: a unit whose name another key already has
    // (the same label and the same first digits of the key: next to impossible) keeps its
    // full key.
    for (std::size_t k = 0; k < units.size(); ++k)
      for (std::size_t j = 0; j < k; ++j) {
        if (units[j].key == units[k].key) {
          units[k].folder = units[j].folder;
          break;
        }
        if (units[j].folder == units[k].folder) units[k].folder = (fs::path(report.output) / "items" / units[k].key).string();
      }
    // Identical runs (the same key: the same item twice, or `seeds: [1, 1]`) are run once and
    // share one folder; two would race on it.
    for (std::size_t k = 0; k < units.size(); ++k) {
      bool seen = false;
      for (std::size_t j : distinct) seen = seen || units[j].key == units[k].key;
      if (!seen) distinct.push_back(k);
    }
    report.units = static_cast<int>(distinct.size());
    if (root) {
      for (std::size_t k : distinct) {
        if (intact(units[k])) ++report.reused;
        else pending.push_back(k);
      }
      fs::create_directories(fs::path(report.output) / "items");
    }
  } catch (...) {
    if (!ranks) throw;
    failure = std::current_exception();
  }
  if (ranks) {
    agree_on_failure(*ranks, failure);
    // Rank 0's list of the missing units, to every rank.
    std::string text;
    if (root)
      for (std::size_t k : pending) text += std::to_string(k) + " ";
    ranks->broadcast(0, text);
    if (!root) {
      std::istringstream in(text);
      for (std::size_t k; in >> k;) pending.push_back(k);
    }
  }
  // This rank's units: under MPI every ranks-th of the missing ones, starting at its rank
  // (in turn rather than in blocks, so that the items' differing sizes even out).
  std::vector<std::size_t> mine;
  for (std::size_t k = 0; k < pending.size(); ++k)
    if (!ranks || static_cast<int>(k % static_cast<std::size_t>(ranks->size())) == ranks->rank()) mine.push_back(pending[k]);
  std::atomic<int> done{report.reused};
  if (options.progress && root) options.progress(done.load(), report.units);
  std::mutex error_mutex;
  tbb::parallel_for(std::size_t{0}, mine.size(), [&](std::size_t k) {
    if (options.cancel && options.cancel->load()) return;
    try {
      compute(units[mine[k]], identity, options.kernel, options.cancel);
      if (options.progress && root) options.progress(++done, report.units);
    } catch (...) {
      std::lock_guard lock(error_mutex);
      if (!failure) failure = std::current_exception();
    }
  });
  const fs::path items = fs::path(report.output) / "items";
  if (options.cancel && options.cancel->load()) {
    const int finished = done.load();
    const Bilingual message =
        ranks ? both_languages(Msg::batch_interrupted_ranks, {items.string()})
              : both_languages(Msg::batch_interrupted, {std::to_string(finished), std::to_string(report.units), items.string(),
                                                        std::to_string(report.reused),
                                                        std::to_string(finished - report.reused)});
    failure = std::make_exception_ptr(Cancelled(message));
  }
  if (ranks) agree_on_failure(*ranks, failure); // every rank's items are in, or all stop
  else if (failure) std::rethrow_exception(failure);
  if (!root) return report; // rank 0 alone checks and consolidates
  // The other ranks wrote their items where rank 0 reads them: every one must be there.
  if (ranks)
    for (std::size_t k = 0; k < pending.size(); ++k)
      if (!intact(units[pending[k]]))
        throw Error(ExitCode::io, both_languages(Msg::batch_mpi_item_missing,
                                                 {units[pending[k]].key,
                                                  std::to_string(k % static_cast<std::size_t>(ranks->size())),
                                                  items.string()}));
  report.computed = static_cast<int>(pending.size());

  // Consolidated results, from the items' files (so a resumed batch gives the same bytes).
  std::string csv = "item,label,scenario,kind,seed,iterations,key,variant,measure,mean,se,p5,p50,p95\n";
  std::string json = "{\n  \"batch\": " + json_string(m.id) + ",\n  \"units\": [\n";
  for (std::size_t k = 0; k < units.size(); ++k) {
    const Unit& u = units[k];
    const std::string prefix = std::to_string(u.item + 1) + "," + csv_text(u.spec->label) + "," +
                               csv_text(fs::path(u.spec->scenario_file).filename().string()) + "," + u.spec->kind + "," +
                               std::to_string(u.seed) + "," + std::to_string(u.iterations) + "," + u.key + ",";
    const std::string headline_text =
        read_file((fs::path(u.folder) / "headline.csv").string(), both_languages(Msg::file_what_batch_item_file));
    std::istringstream lines(headline_text);
    std::string line;
    std::getline(lines, line); // header
    while (std::getline(lines, line))
      if (!line.empty()) csv += prefix + line + "\n";
    // An item with evidence_shares: true: per variant, summary.json's evidence_shares object
    // with the variant's id, read back from its headline.csv rows (so a resumed batch writes
    // the same bytes); other items as before.
    std::string evidence;
    if (u.evidence_shares) {
      evidence = ", \"evidence_shares\": [";
      bool first = true;
      for (const auto& [variant, share] : evidence_shares_in(headline_text)) {
        evidence += (first ? "" : ", ") + evidence_share_json(share, variant);
        first = false;
      }
      evidence += "]";
    }
    json += "    {\"item\": " + std::to_string(u.item + 1) + ", \"label\": " + json_string(u.spec->label) +
            ", \"scenario\": " + json_string(u.spec->scenario_file) + ", \"kind\": " + json_string(u.spec->kind) +
            ", \"seed\": " + std::to_string(u.seed) + ", \"iterations\": " + std::to_string(u.iterations) +
            ", \"folder\": " + json_string("items/" + fs::path(u.folder).filename().string()) + evidence + "}" +
            (k + 1 < units.size() ? "," : "") + "\n";
  }
  json += "  ],\n  \"manifest\": {\"engine_version\": " + json_string(engine_version()) + ", \"engine_commit\": " +
          json_string(engine_commit()) + ", \"manifest_file\": " + json_string(m.file) +
          ", \"kernel\": " + json_string(kernel_name(options.kernel)) + "}\n}\n";
  // The report formats are made from the text of batch.csv alone: a resumed batch writes the same bytes.
  BatchTables tables{csv, json, m.id.empty() ? fs::path(m.file).stem().string() : m.id, options.lang, {}, {}};
  // The variants' titles, by the scenario column of batch.csv (the file's name) and the id.
  for (const auto& [file, scenario] : scenarios)
    for (const Variant& v : scenario->variants)
      if (!v.title.empty()) tables.variant_titles[fs::path(file).filename().string() + '\n' + v.id] = v.title;
  for (const Unit& u : units)
    if (u.spec->kind == "tornado" && !tables.tornado_csv.count(u.key))
      tables.tornado_csv[u.key] = read_file((fs::path(u.folder) / "tornado.csv").string(), both_languages(Msg::file_what_batch_item_file));
  FolderFiles files(report.output);
  for (const auto format : options.formats) write_batch_format(format, files, tables);
  return report;
}

} // namespace socinvest
