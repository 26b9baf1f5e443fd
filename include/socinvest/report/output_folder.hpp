#pragma once
// Result folders are written whole or not at all. Files go into a hidden staging folder
// beside the target; commit() renames it into place. An existing folder is replaced only
// with `force`, and then only after the new one is complete, so a user's earlier results
// are never lost to a failed or interrupted run. Every folder carries a marker file, and
// --force replaces only a folder that has it (or an empty one): never a user's own folder.
#include <string>
#include <utility>
#include <vector>

namespace socinvest {

/// The marker file in every result folder.
inline constexpr const char* result_marker = ".socinvest-results";

/// Where a command's files go: text by content, and a path for writers that write a file
/// themselves (the workbooks).
class OutputSink {
public:
  virtual ~OutputSink() = default;
  virtual void write(const std::string& name, const std::string& content) = 0;
  [[nodiscard]] virtual std::string file_path(const std::string& name) const = 0;
};

/// Files straight into an existing folder, each written atomically (batch: its items are
/// kept in the same folder, so it has no staging folder of its own).
class FolderFiles final : public OutputSink {
public:
  explicit FolderFiles(std::string folder) : folder_(std::move(folder)) {}
  void write(const std::string& name, const std::string& content) override;
  [[nodiscard]] std::string file_path(const std::string& name) const override;

private:
  std::string folder_;
};

/// Text files kept in memory, in the order written (tests; a workbook cannot be kept).
class FilesInMemory final : public OutputSink {
public:
  void write(const std::string& name, const std::string& content) override { files.emplace_back(name, content); }
  [[nodiscard]] std::string file_path(const std::string& name) const override;
  std::vector<std::pair<std::string, std::string>> files;
};

/// A result folder written whole: the sink of run and compare.
class OutputFolder final : public OutputSink {
public:
  /// Throws IoError when `path` exists and `force` is false, or the staging folder cannot be made.
  OutputFolder(std::string path, bool force);
  ~OutputFolder(); ///< removes the staging folder unless committed
  OutputFolder(const OutputFolder&) = delete;
  OutputFolder& operator=(const OutputFolder&) = delete;

  /// Writes one file (name relative to the folder) into the staging folder.
  void write(const std::string& name, const std::string& content) override;
  /// Where `name` goes in the staging folder (for writers that write the file themselves).
  [[nodiscard]] std::string file_path(const std::string& name) const override;
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
