#pragma once
// Reading the files a user names. Only regular files are opened: a FIFO, a device or a
// socket would block `open` or never end, so they are refused by their type first.
#include <socinvest/bilingual.hpp>

#include <optional>
#include <string>

namespace socinvest {

/// Why `path` cannot be read as a regular file ("no such file", "is a folder", "is a FIFO
/// (named pipe)", ...), or nothing when it can.
std::optional<Bilingual> not_a_regular_file(const std::string& path);

/// The whole file. Throws IoError naming `what` (e.g. "batch manifest") and the reason when
/// it is not a regular file, cannot be read, or is larger than `max_bytes`; `what` in both
/// languages, as the message names it (the catalogue's file_what_*: "the panel", "panelet").
std::string read_file(const std::string& path, const Bilingual& what, std::size_t max_bytes = 64u << 20);

} // namespace socinvest
