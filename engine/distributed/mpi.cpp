#include <socinvest/distributed/mpi.hpp>

#include <socinvest/report/messages.hpp>

#define OMPI_SKIP_MPICXX 1 // the C API only
#include <mpi.h>

#include <algorithm>
#include <cstdlib>
#include <ctime>
#include <stdexcept>

namespace socinvest {

namespace {

// Messages larger than an int counts of bytes go in pieces.
constexpr std::size_t piece = std::size_t{1} << 30;

void check(int rc, const char* what) {
  if (rc != MPI_SUCCESS) throw std::runtime_error(std::string("MPI: ") + what + " failed");
}

} // namespace

/// Waits for `request` sleeping a millisecond between polls: an MPI library's own wait
/// spins on a core, which a rank that finished early would take from those computing.
void MpiJob::wait_idly(void* pending) {
  auto& request = *static_cast<MPI_Request*>(pending);
  int done = 0;
  const timespec pause{0, 1000000};
  for (;;) {
    check(MPI_Test(&request, &done, MPI_STATUS_IGNORE), "MPI_Test");
    if (done) return;
    if (stop_ && stop_->load())
      throw Cancelled(both_languages(Msg::mpi_interrupted_waiting));
    nanosleep(&pause, nullptr);
  }
}

std::unique_ptr<MpiJob> MpiJob::start_if_launched(int& argc, char**& argv) {
  const bool launched = std::getenv("OMPI_COMM_WORLD_SIZE") || std::getenv("PMIX_RANK") || std::getenv("PMI_RANK");
  if (!launched) return nullptr;
  // Only the main thread calls MPI; the TBB workers never do.
  int provided = 0;
  check(MPI_Init_thread(&argc, &argv, MPI_THREAD_FUNNELED, &provided), "MPI_Init_thread");
  int rank = 0, size = 1;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  MPI_Comm_size(MPI_COMM_WORLD, &size);
  return std::unique_ptr<MpiJob>(new MpiJob(rank, size));
}

MpiJob::~MpiJob() { MPI_Finalize(); }

int MpiJob::first_failing(bool failed) {
  int mine = failed ? rank_ : size_, first = size_;
  MPI_Request request;
  check(MPI_Iallreduce(&mine, &first, 1, MPI_INT, MPI_MIN, MPI_COMM_WORLD, &request), "MPI_Iallreduce");
  wait_idly(&request);
  return first;
}

void MpiJob::broadcast(int root, std::string& text) {
  unsigned long long length = text.size();
  check(MPI_Bcast(&length, 1, MPI_UNSIGNED_LONG_LONG, root, MPI_COMM_WORLD), "MPI_Bcast");
  text.resize(static_cast<std::size_t>(length));
  for (std::size_t at = 0; at < text.size(); at += piece)
    check(MPI_Bcast(text.data() + at, static_cast<int>(std::min(piece, text.size() - at)), MPI_CHAR, root,
                    MPI_COMM_WORLD),
          "MPI_Bcast");
}

void MpiJob::send(int to, const void* data, std::size_t bytes) {
  const char* p = static_cast<const char*>(data);
  for (std::size_t at = 0; at < bytes; at += piece)
    check(MPI_Send(p + at, static_cast<int>(std::min(piece, bytes - at)), MPI_BYTE, to, 0, MPI_COMM_WORLD), "MPI_Send");
}

void MpiJob::receive(int from, void* data, std::size_t bytes) {
  char* p = static_cast<char*>(data);
  for (std::size_t at = 0; at < bytes; at += piece) {
    const int count = static_cast<int>(std::min(piece, bytes - at));
    MPI_Request request;
    check(MPI_Irecv(p + at, count, MPI_BYTE, from, 0, MPI_COMM_WORLD, &request), "MPI_Irecv");
    wait_idly(&request); // rank 0 may wait here for a slower rank's rows
  }
}

void MpiJob::abort(int code) {
  MPI_Abort(MPI_COMM_WORLD, code);
  std::_Exit(code); // MPI_Abort does not return; should it, the process still ends
}

} // namespace socinvest
