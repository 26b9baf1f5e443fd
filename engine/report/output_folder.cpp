#include <socinvest/report/output_folder.hpp>

#include <socinvest/errors.hpp>
#include <socinvest/report/messages.hpp>
#include <socinvest/version.hpp>

#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <unistd.h>

namespace socinvest {

namespace fs = std::filesystem;

namespace {

/// The process id in a staging folder's name ".NAME.partial-PID-XXXXXX", or 0.
long staging_pid(const std::string& name) {
  const auto at = name.rfind(".partial-");
  if (name.empty() || name[0] != '.' || at == std::string::npos) return 0;
  char* end = nullptr;
  const long pid = std::strtol(name.c_str() + at + 9, &end, 10);
  return end && (*end == '-' || *end == '\0') ? pid : 0;
}

bool is_result_folder(const fs::path& folder) {
  std::error_code ec;
  return fs::is_regular_file(folder / result_marker, ec);
}

} // namespace

void write_file_atomically(const std::string& path, const std::string& content) {
  const std::string tmp = path + ".tmp-" + std::to_string(::getpid());
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (!out) throw IoError(both_languages(Msg::file_cannot_write, {tmp, std::string(std::strerror(errno))}));
    out.write(content.data(), static_cast<std::streamsize>(content.size()));
    out.flush();
    if (!out) {
      std::error_code ec;
      fs::remove(tmp, ec);
      throw IoError(both_languages(Msg::file_disk_full, {path}));
    }
  }
  std::error_code ec;
  fs::rename(tmp, path, ec);
  if (ec) {
    fs::remove(tmp, ec);
    throw IoError(both_languages(Msg::file_cannot_move, {tmp, path, ec.message()}));
  }
}

void remove_stale_staging(const std::string& parent) {
  std::error_code ec;
  for (fs::directory_iterator it(parent, ec), end; !ec && it != end; it.increment(ec)) {
    const std::string name = it->path().filename().string();
    const long pid = staging_pid(name);
    // Only folders this engine staged whose process is gone: with the marker inside, or
    // empty (killed between making the folder and writing the marker, its first file;
    // removing an empty folder loses nothing).
    std::error_code empty_ec;
    if (pid <= 0 || !(is_result_folder(it->path()) || fs::is_empty(it->path(), empty_ec))) continue;
    if (::kill(static_cast<pid_t>(pid), 0) == 0 || errno != ESRCH) continue;
    std::error_code rm;
    const std::string old_suffix = ".old";
    if (name.size() > old_suffix.size() && name.compare(name.size() - old_suffix.size(), old_suffix.size(), old_suffix) == 0) {
      // Earlier results moved aside by a commit that was killed before the new ones were in
      // place: put them back rather than lose them.
      const fs::path target = fs::path(parent) / name.substr(1, name.rfind(".partial-") - 1);
      if (!fs::exists(fs::symlink_status(target, rm))) {
        fs::rename(it->path(), target, rm);
        continue;
      }
    }
    fs::remove_all(it->path(), rm);
  }
}

OutputFolder::OutputFolder(std::string path, bool force) : path_(std::move(path)), force_(force) {
  while (path_.size() > 1 && path_.back() == '/') path_.pop_back();
  std::error_code ec;
  if (fs::exists(fs::symlink_status(path_, ec))) {
    if (fs::is_symlink(fs::symlink_status(path_, ec)) || !fs::is_directory(path_, ec))
      throw IoError(both_languages(Msg::folder_not_a_folder, {path_}));
    const bool empty = fs::is_empty(path_, ec);
    if (!force_)
      throw IoError(both_languages(Msg::folder_exists, {path_}));
    // --force replaces only what socinvest wrote: a folder with its marker (or an empty one).
    if (!empty && !is_result_folder(path_))
      throw IoError(both_languages(Msg::folder_not_ours, {path_, std::string(result_marker)}));
  }
  fs::path p(path_);
  fs::path parent = p.has_parent_path() ? p.parent_path() : fs::path(".");
  fs::create_directories(parent, ec);
  if (ec) throw IoError(both_languages(Msg::file_cannot_create, {parent.string(), ec.message()}));
  remove_stale_staging(parent.string()); // debris of a run that was killed (kill -9)
  std::string name = (parent / ("." + p.filename().string() + ".partial-" + std::to_string(::getpid()) + "-XXXXXX")).string();
  if (!::mkdtemp(name.data())) throw IoError(both_languages(Msg::file_cannot_create_staging, {parent.string(), std::string(std::strerror(errno))}));
  staging_ = name;
  write(result_marker, std::string("socinvest result folder, written by socinvest ") + engine_version() + " (" +
                           engine_commit() + ")\n");
}

OutputFolder::~OutputFolder() {
  if (committed_) return;
  std::error_code ec;
  fs::remove_all(staging_, ec);
}

void OutputFolder::write(const std::string& name, const std::string& content) {
  write_file_atomically(file_path(name), content);
}

std::string OutputFolder::file_path(const std::string& name) const { return (fs::path(staging_) / name).string(); }

void OutputFolder::commit() {
  std::error_code ec;
  std::string old;
  if (fs::exists(path_, ec)) {
    if (!force_) throw IoError(both_languages(Msg::folder_appeared, {path_}));
    if (!fs::is_empty(path_, ec) && !is_result_folder(path_))
      throw IoError(both_languages(Msg::folder_appeared_not_ours, {path_}));
    old = staging_ + ".old";
    fs::rename(path_, old, ec);
    if (ec) throw IoError(both_languages(Msg::file_cannot_move_old_aside, {path_, ec.message()}));
  }
  fs::rename(staging_, path_, ec);
  if (ec) {
    const std::string why = ec.message();
    if (!old.empty()) fs::rename(old, path_, ec);
    throw IoError(both_languages(Msg::file_cannot_move_results, {path_, why}));
  }
  committed_ = true;
  if (!old.empty()) fs::remove_all(old, ec);
}

void FolderFiles::write(const std::string& name, const std::string& content) {
  write_file_atomically(file_path(name), content);
}

std::string FolderFiles::file_path(const std::string& name) const { return (fs::path(folder_) / name).string(); }

std::string FilesInMemory::file_path(const std::string& name) const {
  throw Error(ExitCode::failure, "'" + name + "' is written by its own writer and cannot be kept in memory");
}

} // namespace socinvest
