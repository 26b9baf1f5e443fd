// libFuzzer target: the scenario loader must never crash, hang or exhaust memory on any
// input; it either returns a scenario or throws InvalidInput / IoError.
#include <socinvest/scenario/loader.hpp>

#include <cstddef>
#include <cstdint>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  socinvest::LoadOptions options;
  options.memory_limit_bytes = 1e9;
  try {
    (void)socinvest::load_scenario_text(text, "fuzz.yaml", "/nonexistent-fuzz-dir", options);
  } catch (const socinvest::Error&) {
  }
  return 0;
}
