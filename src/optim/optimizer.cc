// Shared checks of the optimizer seam.
#include "optim/optimizer.h"

#include <sstream>

#include "core/error.h"

namespace nnfit::optim {

void check_state(const OptimizerState& s, const std::string& kind, std::size_t n_vectors, Index dim,
                 std::size_t n_scalars) {
  bool ok = s.kind == kind && s.vectors.size() == n_vectors && s.scalars.size() == n_scalars;
  for (const Vector& v : s.vectors) ok = ok && v.size() == dim;
  if (ok) return;
  std::ostringstream os;
  os << "optimizer state of '" << s.kind << "' (" << s.vectors.size() << " vectors, "
     << s.scalars.size() << " numbers) does not fit optimizer '" << kind << "' with " << dim
     << " parameters; train from the start instead of continuing";
  throw ModelError(os.str());
}

}  // namespace nnfit::optim
