// libFuzzer target: the batch manifest reader must never crash, hang or exhaust memory on
// any input; it either returns a manifest or throws InvalidInput. Scenario files resolve
// relative to a folder that does not exist, so nothing on disk is read.
#include <socinvest/batch/batch.hpp>
#include <socinvest/errors.hpp>

#include <cstddef>
#include <cstdint>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  try {
    (void)socinvest::load_batch_manifest_text(text, "/nonexistent-fuzz-dir/batch.yaml");
  } catch (const socinvest::Error&) {
  }
  return 0;
}
