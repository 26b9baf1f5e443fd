#pragma once
// The processes one job is shared among: this process alone, or the ranks of an MPI job
// (distributed/mpi.hpp, built only with SOCINVEST_MPI). The engine sees only this
// interface, so the build without MPI compiles no MPI code and the analysis does not know
// how the ranks talk.
//
// How the work is shared (analysis.cpp): rank r simulates a contiguous block of the
// iterations (share_of), prices each, and keeps its per-iteration rows; rank 0 gathers every
// rank's rows into its column store, in iteration order, and alone summarises and writes.
// An iteration's random numbers are keyed by the iteration (random/streams.hpp), not by who
// computes it, so the results are byte-identical for any number of ranks and threads.
//
// Errors: every collective step starts with agree_on_failure, so that a rank that failed
// (an exception, Ctrl-C) stops the others at the next step instead of leaving them waiting;
// a rank that dies ends the whole job (MPI's default), before rank 0 has written anything.
#include <socinvest/errors.hpp>

#include <cstddef>
#include <cstdint>
#include <exception>
#include <string>

namespace socinvest {

class Ranks {
public:
  virtual ~Ranks() = default;
  [[nodiscard]] virtual int rank() const = 0;
  [[nodiscard]] virtual int size() const = 0;

  /// Collective. Every rank says whether it failed; returns the lowest failing rank, or
  /// size() when none failed. Waits without spinning (ranks that finished early do not
  /// take cores from those still computing).
  virtual int first_failing(bool failed) = 0;
  /// Collective: `text` of rank `root` on every rank.
  virtual void broadcast(int root, std::string& text) = 0;
  /// Point to point, blocking; the receiver knows the size.
  virtual void send(int to, const void* data, std::size_t bytes) = 0;
  virtual void receive(int from, void* data, std::size_t bytes) = 0;
  /// Ends every rank of the job with `code` (when the ranks can no longer agree).
  [[noreturn]] virtual void abort(int code) = 0;

  /// Whether a failure has already been agreed on (no rank takes part in another step).
  [[nodiscard]] bool failure_agreed() const { return failure_agreed_; }

private:
  friend void agree_on_failure(Ranks& ranks, std::exception_ptr mine);
  bool failure_agreed_ = false;
};

/// A failure every rank agreed on, thrown on every rank but the one whose error it is when
/// that is rank 0 (which rethrows its own). Rank 0 reports it; the other ranks exit with its
/// code and say nothing, so the message appears once.
class RankFailure : public Error {
public:
  RankFailure(ExitCode code, const Bilingual& message) : Error(code, message) {}
};

/// Collective: when any rank failed (`mine` non-null on it), throws on every rank: rank 0
/// its own exception when it failed, else a RankFailure naming the lowest failing rank and
/// its message. Returns normally when no rank failed.
void agree_on_failure(Ranks& ranks, std::exception_ptr mine);

/// The iterations [first, end) rank `rank` of `ranks` computes: contiguous blocks, the
/// first (iteration 0, the traced one) on rank 0, sizes differing by at most one.
struct IterationShare {
  int first = 0, end = 0;
};
inline IterationShare share_of(int iterations, int rank, int ranks) {
  const auto at = [&](int r) {
    return static_cast<int>(static_cast<std::int64_t>(iterations) * r / ranks);
  };
  return {at(rank), at(rank + 1)};
}

} // namespace socinvest
