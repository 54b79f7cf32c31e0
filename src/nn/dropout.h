// Inverted dropout (Srivastava et al. 2014) on a hidden layer's outputs, used by nn::Network
// during training only: y = x .* m, m_ij = [u_ij >= p] / (1 - p) with u_ij ~ U[0, 1), so
// E[y] = x and the network needs no rescaling at prediction time.  dx = dy .* m.
// Masks come from the layer's own Rng (seeded by the Network): a 64-bit draw per two entries,
// column-major, per fprop (p honoured to 2^-32). fix_mask(true) keeps the last mask (drawing
// one first if the batch is wider than any seen): fprop/bprop are then a deterministic
// function of x, as a finite-difference check needs. The mask grows only for a wider batch.
#pragma once

#include <cstdint>
#include <string>

#include "nn/layer.h"

namespace nnfit::nn {

class Dropout : public Layer {
 public:
  // REQUIRES: 0 <= rate < 1.
  Dropout(double rate, std::uint64_t seed);

  std::string kind() const override { return "dropout"; }
  Index output_size(Index input_size) const override { return input_size; }
  void fprop(const ConstMatrixRef& x, MatrixRef y) override;
  void bprop(const ConstMatrixRef& x, const ConstMatrixRef& y, const ConstMatrixRef& dy,
             MatrixRef dx) override;

  double rate() const { return rate_; }
  void fix_mask(bool fixed) { fixed_ = fixed; }
  // Sizes the mask for (units, max_batch) up front, so fprop never allocates.
  void reserve(Index units, Index max_batch);
  // The mask of the last fprop, (units, B): entries 0 or 1 / (1 - rate).
  // REQUIRES: has_mask(batch).
  ConstMatrixRef mask(Index batch) const { return mask_.leftCols(batch); }
  // Whether a mask has been drawn for batches of `batch` columns (of the current units).
  bool has_mask(Index batch) const { return drawn_ >= batch; }

 private:
  double rate_;
  Rng rng_;
  bool fixed_ = false;
  Matrix mask_;      // (units, capacity)
  Index drawn_ = 0;  // columns of mask_ holding a drawn mask

  void draw(Index batch);
};

// A well-mixed 64-bit seed from (seed, stream) (splitmix64), so streams derived from one
// user seed are independent of each other and of Rng(seed) itself.
std::uint64_t derive_seed(std::uint64_t seed, std::uint64_t stream);

}  // namespace nnfit::nn
