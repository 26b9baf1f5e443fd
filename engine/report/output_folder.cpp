#include <socinvest/report/output_folder.hpp>

#include <socinvest/errors.hpp>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <unistd.h>

namespace socinvest {

namespace fs = std::filesystem;

void write_file_atomically(const std::string& path, const std::string& content) {
  const std::string tmp = path + ".tmp-" + std::to_string(::getpid());
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (!out) throw IoError("cannot write '" + tmp + "'");
    out.write(content.data(), static_cast<std::streamsize>(content.size()));
    out.flush();
    if (!out) {
      std::error_code ec;
      fs::remove(tmp, ec);
      throw IoError("cannot write '" + path + "' (disk full?)");
    }
  }
  std::error_code ec;
  fs::rename(tmp, path, ec);
  if (ec) {
    fs::remove(tmp, ec);
    throw IoError("cannot move '" + tmp + "' to '" + path + "': " + ec.message());
  }
}

OutputFolder::OutputFolder(std::string path, bool force) : path_(std::move(path)), force_(force) {
  while (path_.size() > 1 && path_.back() == '/') path_.pop_back();
  std::error_code ec;
  if (fs::exists(path_, ec) && !force_)
    throw IoError("output folder '" + path_ + "' already exists; choose another with --out, or add --force to replace it");
  if (fs::exists(path_, ec) && !fs::is_directory(path_, ec))
    throw IoError("'" + path_ + "' exists and is not a folder");
  fs::path p(path_);
  fs::path parent = p.has_parent_path() ? p.parent_path() : fs::path(".");
  fs::create_directories(parent, ec);
  staging_ = (parent / ("." + p.filename().string() + ".partial-" + std::to_string(::getpid()))).string();
  fs::remove_all(staging_, ec);
  if (!fs::create_directory(staging_, ec) || ec) throw IoError("cannot create '" + staging_ + "': " + ec.message());
}

OutputFolder::~OutputFolder() {
  if (committed_) return;
  std::error_code ec;
  fs::remove_all(staging_, ec);
}

void OutputFolder::write(const std::string& name, const std::string& content) {
  write_file_atomically((fs::path(staging_) / name).string(), content);
}

void OutputFolder::commit() {
  std::error_code ec;
  std::string old;
  if (fs::exists(path_, ec)) {
    if (!force_) throw IoError("output folder '" + path_ + "' appeared while running; nothing was replaced");
    old = staging_ + ".old";
    fs::rename(path_, old, ec);
    if (ec) throw IoError("cannot move the old '" + path_ + "' aside: " + ec.message());
  }
  fs::rename(staging_, path_, ec);
  if (ec) {
    if (!old.empty()) fs::rename(old, path_, ec);
    throw IoError("cannot move results into '" + path_ + "'");
  }
  committed_ = true;
  if (!old.empty()) fs::remove_all(old, ec);
}

} // namespace socinvest
