#pragma once
// Result folders are written whole or not at all. Files go into a hidden staging folder
// beside the target; commit() renames it into place. An existing folder is replaced only
// with `force`, and then only after the new one is complete, so a user's earlier results
// are never lost to a failed or interrupted run. Every folder carries a marker file, and
// --force replaces only a folder that has it (or an empty one): never a user's own folder.
#include <string>

namespace socinvest {

/// The marker file in every result folder.
inline constexpr const char* result_marker = ".socinvest-results";

class OutputFolder {
public:
  /// Throws IoError when `path` exists and `force` is false, or the staging folder cannot be made.
  OutputFolder(std::string path, bool force);
  ~OutputFolder(); ///< removes the staging folder unless committed
  OutputFolder(const OutputFolder&) = delete;
  OutputFolder& operator=(const OutputFolder&) = delete;

  /// Writes one file (name relative to the folder) into the staging folder.
  void write(const std::string& name, const std::string& content);
  [[nodiscard]] std::string staging_path() const { return staging_; }
  [[nodiscard]] const std::string& path() const { return path_; }
  /// Moves the finished folder into place.
  void commit();

private:
  std::string path_, staging_;
  bool force_ = false, committed_ = false;
};

/// Removes staging folders in `parent` left by socinvest processes that no longer run.
void remove_stale_staging(const std::string& parent);

/// Writes one file atomically: a temporary file beside it, then a rename.
void write_file_atomically(const std::string& path, const std::string& content);

} // namespace socinvest
