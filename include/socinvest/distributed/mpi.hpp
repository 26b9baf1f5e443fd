#pragma once
// The ranks of an MPI job (Open MPI, its C API): built only with SOCINVEST_MPI, and used
// only by the command line (engine/cli/main.cpp), which hands the job to the commands that
// share their work (run, compare, sweep, batch) as a Ranks (distributed/ranks.hpp). No MPI header here:
// only engine/distributed/mpi.cpp sees mpi.h.
#include <socinvest/distributed/ranks.hpp>

#include <atomic>
#include <memory>

namespace socinvest {

class MpiJob final : public Ranks {
public:
  /// Starts MPI when this process was started by an MPI launcher (mpirun, mpiexec, srun:
  /// it sets OMPI_COMM_WORLD_SIZE, PMIX_RANK or PMI_RANK); null otherwise, so a plain
  /// `socinvest run` never starts MPI.
  static std::unique_ptr<MpiJob> start_if_launched(int& argc, char**& argv);
  ~MpiJob() override; ///< MPI_Finalize
  MpiJob(const MpiJob&) = delete;
  MpiJob& operator=(const MpiJob&) = delete;

  [[nodiscard]] int rank() const override { return rank_; }
  [[nodiscard]] int size() const override { return size_; }
  int first_failing(bool failed) override;
  void broadcast(int root, std::string& text) override;
  void send(int to, const void* data, std::size_t bytes) override;
  void receive(int from, void* data, std::size_t bytes) override;
  [[noreturn]] void abort(int code) override;

  /// While waiting for other ranks, throw Cancelled when `flag` is raised (the launcher's
  /// SIGTERM when another rank died, or Ctrl-C), so that this rank removes what it staged
  /// before the launcher's SIGKILL, instead of waiting for a rank that is gone.
  void stop_waiting_when(const std::atomic<bool>* flag) { stop_ = flag; }

private:
  MpiJob(int rank, int size) : rank_(rank), size_(size) {}
  void wait_idly(void* request);
  int rank_, size_;
  const std::atomic<bool>* stop_ = nullptr;
};

} // namespace socinvest
