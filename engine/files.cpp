#include <socinvest/files.hpp>

#include <socinvest/errors.hpp>
#include <socinvest/report/messages.hpp>

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace socinvest {

std::optional<Bilingual> not_a_regular_file(const std::string& path) {
  struct stat st {};
  // strerror() is the system's text, in English in both languages.
  if (::stat(path.c_str(), &st) != 0)
    return errno == ENOENT ? both_languages(Msg::file_no_such_file) : Bilingual(std::strerror(errno));
  if (S_ISREG(st.st_mode)) return std::nullopt;
  if (S_ISDIR(st.st_mode)) return both_languages(Msg::file_is_a_folder);
  if (S_ISFIFO(st.st_mode)) return both_languages(Msg::file_is_a_fifo);
  if (S_ISSOCK(st.st_mode)) return both_languages(Msg::file_is_a_socket);
  if (S_ISCHR(st.st_mode) || S_ISBLK(st.st_mode)) return both_languages(Msg::file_is_a_device);
  return both_languages(Msg::file_not_regular);
}

std::string read_file(const std::string& path, const Bilingual& what, std::size_t max_bytes) {
  auto cannot_read = [&](const Bilingual& why) { return IoError(both_languages(Msg::file_cannot_read, {what, path, why})); };
  if (auto why = not_a_regular_file(path)) throw cannot_read(*why);
  // O_NONBLOCK: should the file be swapped for a FIFO after the check, open does not block.
  const int fd = ::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0) throw cannot_read(std::string(std::strerror(errno)));
  struct stat st {};
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    ::close(fd);
    throw cannot_read(both_languages(Msg::file_not_regular));
  }
  if (static_cast<std::size_t>(st.st_size) > max_bytes) {
    ::close(fd);
    throw IoError(both_languages(Msg::file_too_large_bytes,
                                 {what, path, std::to_string(st.st_size), std::to_string(max_bytes)}));
  }
  std::string text;
  char buf[65536];
  for (;;) {
    const ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      const int err = errno;
      ::close(fd);
      throw cannot_read(std::string(std::strerror(err)));
    }
    if (n == 0) break;
    text.append(buf, static_cast<std::size_t>(n));
    if (text.size() > max_bytes) {
      ::close(fd);
      throw IoError(both_languages(Msg::file_too_large, {what, path, std::to_string(max_bytes)}));
    }
  }
  ::close(fd);
  return text;
}

} // namespace socinvest
