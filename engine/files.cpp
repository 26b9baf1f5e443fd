#include <socinvest/files.hpp>

#include <socinvest/errors.hpp>

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace socinvest {

std::optional<std::string> not_a_regular_file(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return std::string(errno == ENOENT ? "no such file" : std::strerror(errno));
  if (S_ISREG(st.st_mode)) return std::nullopt;
  if (S_ISDIR(st.st_mode)) return std::string("is a folder, not a file");
  if (S_ISFIFO(st.st_mode)) return std::string("is a FIFO (named pipe), not a regular file");
  if (S_ISSOCK(st.st_mode)) return std::string("is a socket, not a regular file");
  if (S_ISCHR(st.st_mode) || S_ISBLK(st.st_mode)) return std::string("is a device, not a regular file");
  return std::string("is not a regular file");
}

std::string read_file(const std::string& path, const std::string& what, std::size_t max_bytes) {
  if (auto why = not_a_regular_file(path)) throw IoError("cannot read " + what + " '" + path + "': " + *why);
  // O_NONBLOCK: should the file be swapped for a FIFO after the check, open does not block.
  const int fd = ::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0) throw IoError("cannot read " + what + " '" + path + "': " + std::strerror(errno));
  struct stat st {};
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    ::close(fd);
    throw IoError("cannot read " + what + " '" + path + "': is not a regular file");
  }
  if (static_cast<std::size_t>(st.st_size) > max_bytes) {
    ::close(fd);
    throw IoError(what + " '" + path + "' is too large (" + std::to_string(st.st_size) + " bytes; at most " +
                  std::to_string(max_bytes) + ")");
  }
  std::string text;
  char buf[65536];
  for (;;) {
    const ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      const int err = errno;
      ::close(fd);
      throw IoError("cannot read " + what + " '" + path + "': " + std::strerror(err));
    }
    if (n == 0) break;
    text.append(buf, static_cast<std::size_t>(n));
    if (text.size() > max_bytes) {
      ::close(fd);
      throw IoError(what + " '" + path + "' is too large (at most " + std::to_string(max_bytes) + " bytes)");
    }
  }
  ::close(fd);
  return text;
}

} // namespace socinvest
