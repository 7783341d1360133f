package dev.colloquy.trainer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;
import java.util.ArrayList;
import java.util.List;

/**
 * AdamW (Loshchilov and Hutter) with global-norm gradient clipping, updating DJL arrays in place.
 * Weight decay is decoupled and applies to arrays of rank 2 or more only (not biases, not norms).
 */
final class AdamW {

  private static final double BETA1 = 0.9;
  private static final double BETA2 = 0.95;
  private static final double EPSILON = 1e-8;
  private static final NDIndex ALL = new NDIndex("...");

  private final List<NDArray> parameters;
  private final List<NDArray> firstMoments = new ArrayList<>();
  private final List<NDArray> secondMoments = new ArrayList<>();
  private final double weightDecay;
  private final double clipNorm;
  private int step;

  AdamW(List<NDArray> parameters, double weightDecay, double clipNorm) {
    this.parameters = List.copyOf(parameters);
    this.weightDecay = weightDecay;
    this.clipNorm = clipNorm;
    for (NDArray p : parameters) {
      firstMoments.add(p.zerosLike());
      secondMoments.add(p.zerosLike());
    }
  }

  /**
   * Applies one update from the parameters' gradients, then zeroes the gradients. A step whose
   * gradients are not finite is skipped.
   *
   * @return the gradient norm before clipping
   */
  double update(double learningRate) {
    step++;
    try (NDScope scope = new NDScope()) {
      scope.suppressNotUsedWarning();
      List<NDArray> gradients = new ArrayList<>();
      double squares = 0;
      for (NDArray p : parameters) {
        NDArray g = p.getGradient();
        gradients.add(g);
        squares += g.square().sum().getFloat();
      }
      double norm = Math.sqrt(squares);
      if (!Double.isFinite(norm)) {
        // NaN * 0 is NaN: overwrite, or every later step would inherit the bad gradients.
        for (NDArray g : gradients) {
          g.set(ALL, 0f);
        }
        return norm;
      }
      float scale = (float) Math.min(1.0, clipNorm / (norm + 1e-6));
      float correction1 = (float) (1 - Math.pow(BETA1, step));
      float correction2 = (float) (1 - Math.pow(BETA2, step));
      for (int i = 0; i < parameters.size(); i++) {
        NDArray p = parameters.get(i);
        NDArray g = gradients.get(i).mul(scale);
        NDArray m = firstMoments.get(i);
        NDArray v = secondMoments.get(i);
        m.muli((float) BETA1).addi(g.mul((float) (1 - BETA1)));
        v.muli((float) BETA2).addi(g.square().muli((float) (1 - BETA2)));
        NDArray direction =
            m.div(correction1).divi(v.div(correction2).sqrt().addi((float) EPSILON));
        if (weightDecay > 0 && p.getShape().dimension() >= 2) {
          p.muli((float) (1 - learningRate * weightDecay));
        }
        p.subi(direction.muli((float) learningRate));
        gradients.get(i).set(ALL, 0f);
      }
      return norm;
    }
  }
}
