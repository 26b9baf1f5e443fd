#include <socinvest/distributed/share.hpp>

#include <socinvest/model/layout.hpp>

#include <algorithm>
#include <cstring>
#include <iostream>
#include <new>
#include <stdexcept>
#include <string>

namespace socinvest {

namespace {

constexpr std::size_t block_bytes = std::size_t{8} << 20;

std::size_t rows_per_block(std::size_t columns) {
  return std::max<std::size_t>(1, block_bytes / std::max<std::size_t>(1, columns * sizeof(double)));
}

struct Header {
  std::uint64_t columns = 0;
  std::int64_t persons = 0;
};

// A re-pricing tally on the wire: its sizes, then each vector as its length and its bytes
// (the ranks are processes of one build on machines of one kind, so the bytes are native).
template <class T> void put(std::string& out, const std::vector<T>& v) {
  const std::uint64_t n = v.size();
  out.append(reinterpret_cast<const char*>(&n), sizeof n);
  if (n) out.append(reinterpret_cast<const char*>(v.data()), v.size() * sizeof(T));
}
template <class T> void put_scalar(std::string& out, T value) { out.append(reinterpret_cast<const char*>(&value), sizeof value); }

struct Reader {
  const std::string& in;
  std::size_t at = 0;
  void bytes(void* to, std::size_t n) {
    if (n > in.size() - at) throw std::runtime_error("a re-pricing tally arrived short");
    if (n) std::memcpy(to, in.data() + at, n);
    at += n;
  }
  template <class T> void get(std::vector<T>& v) {
    std::uint64_t n = 0;
    bytes(&n, sizeof n);
    if (n > (in.size() - at) / sizeof(T)) throw std::runtime_error("a re-pricing tally arrived short");
    v.resize(static_cast<std::size_t>(n));
    bytes(v.data(), v.size() * sizeof(T));
  }
  template <class T> void get_scalar(T& value) { bytes(&value, sizeof value); }
};

std::string pack(const RepricingTally& t) {
  std::string out;
  put_scalar(out, t.iterations);
  put_scalar(out, t.departments);
  put_scalar(out, t.calendar_years);
  put(out, t.simulated);
  put(out, t.occupied);
  put(out, t.moved);
  put(out, t.state_amount);
  put(out, t.move_amount);
  put(out, t.state_varies);
  put(out, t.move_varies);
  put(out, t.state_sum);
  put(out, t.move_sum);
  put(out, t.facility_sum);
  put(out, t.facility_pv_sum);
  return out;
}

void unpack(const std::string& in, RepricingTally& t) {
  Reader r{in};
  r.get_scalar(t.iterations);
  r.get_scalar(t.departments);
  r.get_scalar(t.calendar_years);
  r.get(t.simulated);
  r.get(t.occupied);
  r.get(t.moved);
  r.get(t.state_amount);
  r.get(t.move_amount);
  r.get(t.state_varies);
  r.get(t.move_varies);
  r.get(t.state_sum);
  r.get(t.move_sum);
  r.get(t.facility_sum);
  r.get(t.facility_pv_sum);
  if (r.at != in.size()) throw std::runtime_error("a re-pricing tally arrived with bytes to spare");
}

template <class T> void add_into(std::vector<T>& into, const std::vector<T>& other) {
  if (into.size() != other.size()) throw std::runtime_error("re-pricing tallies of different shapes");
  for (std::size_t i = 0; i < into.size(); ++i) into[i] += other[i];
}

} // namespace

void merge_tally(RepricingTally& into, const RepricingTally& other) {
  if (other.iterations == 0) return;
  if (into.iterations == 0) {
    into = other;
    return;
  }
  for (std::size_t v = 0; v < into.simulated.size() && v < other.simulated.size(); ++v)
    into.simulated[v] = static_cast<char>(into.simulated[v] | other.simulated[v]);
  add_into(into.occupied, other.occupied);
  add_into(into.moved, other.moved);
  // An amount is the common one (varies 0) only when it is common to both shares.
  const auto amounts = [](std::vector<double>& kept, std::vector<char>& varies, const std::vector<double>& o_kept,
                          const std::vector<char>& o_varies) {
    if (kept.size() != o_kept.size() || varies.size() != o_varies.size())
      throw std::runtime_error("re-pricing tallies of different shapes");
    for (std::size_t i = 0; i < kept.size(); ++i)
      if (o_varies[i] || o_kept[i] != kept[i]) varies[i] = 1;
  };
  amounts(into.state_amount, into.state_varies, other.state_amount, other.state_varies);
  amounts(into.move_amount, into.move_varies, other.move_amount, other.move_varies);
  add_into(into.state_sum, other.state_sum);
  add_into(into.move_sum, other.move_sum);
  if (into.facility_sum.empty()) {
    into.departments = other.departments;
    into.calendar_years = other.calendar_years;
    into.facility_sum = other.facility_sum;
    into.facility_pv_sum = other.facility_pv_sum;
  } else if (!other.facility_sum.empty()) {
    add_into(into.facility_sum, other.facility_sum);
    add_into(into.facility_pv_sum, other.facility_pv_sum);
  }
  into.iterations += other.iterations;
}

void send_tally(Ranks& ranks, const RepricingTally* mine) {
  const std::string bytes = mine ? pack(*mine) : std::string();
  const std::uint64_t n = bytes.size();
  ranks.send(0, &n, sizeof n);
  if (n) ranks.send(0, bytes.data(), bytes.size());
}

void receive_tallies(Ranks& ranks, const Scenario& scenario, std::shared_ptr<RepricingTally>& tally) {
  for (int from = 1; from < ranks.size(); ++from) {
    std::uint64_t n = 0;
    ranks.receive(from, &n, sizeof n);
    if (n == 0) continue;
    std::string bytes(static_cast<std::size_t>(n), '\0');
    ranks.receive(from, bytes.data(), bytes.size());
    RepricingTally other(scenario, make_layout(scenario));
    unpack(bytes, other);
    if (!tally) tally = std::make_shared<RepricingTally>(scenario, make_layout(scenario));
    merge_tally(*tally, other);
  }
}

void agree_on_failure(Ranks& ranks, std::exception_ptr mine) {
  const int first = ranks.first_failing(mine != nullptr);
  if (first >= ranks.size()) return;
  ranks.failure_agreed_ = true;
  // The failing rank's exit code and message, as the one report of the job.
  int code = static_cast<int>(ExitCode::failure);
  std::string text;
  if (ranks.rank() == first) {
    try {
      std::rethrow_exception(mine);
    } catch (const Error& e) {
      code = static_cast<int>(e.code());
      text = e.what();
    } catch (const std::bad_alloc&) {
      code = static_cast<int>(ExitCode::too_large);
      text = "out of memory: the run needs more memory than this machine has; use fewer iterations, households, "
             "years or variants, or more ranks";
    } catch (const std::exception& e) {
      text = std::string("internal error: ") + e.what();
    }
    text = std::to_string(code) + " " + text;
  }
  ranks.broadcast(first, text);
  if (ranks.rank() == 0 && first == 0) std::rethrow_exception(mine);
  const auto space = text.find(' ');
  code = std::stoi(text.substr(0, space));
  throw RankFailure(static_cast<ExitCode>(code), "rank " + std::to_string(first) + " of " +
                                                     std::to_string(ranks.size()) + ": " + text.substr(space + 1));
}

void send_share(Ranks& ranks, const ShareOfRows& mine) {
  Header h;
  h.columns = mine.rows.empty() ? 0 : mine.rows.front().size();
  h.persons = mine.persons;
  ranks.send(0, &h, sizeof h);
  if (mine.rows.empty()) return;
  ranks.send(0, mine.fingerprints.data(), mine.fingerprints.size() * sizeof(std::uint64_t));
  const std::size_t per = rows_per_block(h.columns);
  std::vector<double> block;
  for (std::size_t first = 0; first < mine.rows.size(); first += per) {
    block.clear();
    for (std::size_t r = first; r < std::min(mine.rows.size(), first + per); ++r)
      block.insert(block.end(), mine.rows[r].begin(), mine.rows[r].end());
    ranks.send(0, block.data(), block.size() * sizeof(double));
  }
}

void receive_shares(Ranks& ranks, int iterations, ColumnStore& rows, std::vector<std::uint64_t>& fingerprints,
                    std::int64_t& persons) {
  for (int from = 1; from < ranks.size(); ++from) {
    const IterationShare share = share_of(iterations, from, ranks.size());
    const auto count = static_cast<std::size_t>(share.end - share.first);
    Header h;
    ranks.receive(from, &h, sizeof h);
    persons += h.persons;
    if (count == 0) continue;
    ranks.receive(from, fingerprints.data() + share.first, count * sizeof(std::uint64_t));
    const std::size_t columns = h.columns, per = rows_per_block(columns);
    std::vector<double> block, row(columns);
    for (std::size_t first = 0; first < count; first += per) {
      const std::size_t n = std::min(count - first, per);
      block.resize(n * columns);
      ranks.receive(from, block.data(), block.size() * sizeof(double));
      for (std::size_t r = 0; r < n; ++r) {
        std::copy_n(block.begin() + static_cast<std::ptrdiff_t>(r * columns), columns, row.begin());
        rows.write_row(static_cast<std::size_t>(share.first) + first + r, row);
      }
    }
  }
}

} // namespace socinvest
