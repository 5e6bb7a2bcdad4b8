package dev.ubm.gnn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import jdk.incubator.vector.FloatVector;

import org.junit.jupiter.api.Test;

/** The kernels' own exp and log1p (IEEE operations only, so interpreter and JIT agree bit for bit). */
class VectorKernelsTest {
    @Test
    void expMatchesMathExpToAFewUlpsOverTheUsefulRange() {
        assumeTrue(TwhinWorker.VECTOR_API, "needs --add-modules jdk.incubator.vector");
        int lanes = FloatVector.SPECIES_PREFERRED.length();
        float[] x = new float[lanes];
        float[] y = new float[lanes];
        double worst = 0;
        for (float v = -87f; v <= 88f; v += 0.0137f * lanes) {
            for (int i = 0; i < lanes; i++) {
                x[i] = v + 0.0137f * i;
            }
            VectorKernels.exp(FloatVector.fromArray(FloatVector.SPECIES_PREFERRED, x, 0)).intoArray(y, 0);
            for (int i = 0; i < lanes; i++) {
                double want = Math.exp(x[i]);
                worst = Math.max(worst, Math.abs(y[i] - want) / want);
            }
        }
        assertTrue(worst < 4e-7, "worst relative error " + worst);
        VectorKernels.exp(FloatVector.broadcast(FloatVector.SPECIES_PREFERRED, -200f)).intoArray(y, 0);
        assertTrue(y[0] >= 0f && y[0] < 1e-37f, "clamped low end " + y[0]);
        VectorKernels.exp(FloatVector.broadcast(FloatVector.SPECIES_PREFERRED, 0f)).intoArray(y, 0);
        assertEquals(1f, y[0]);
    }

    @Test
    void log1pOfTheUnitIntervalMatchesMathLog1p() {
        assumeTrue(TwhinWorker.VECTOR_API, "needs --add-modules jdk.incubator.vector");
        int lanes = FloatVector.SPECIES_PREFERRED.length();
        float[] x = new float[lanes];
        float[] y = new float[lanes];
        double worst = 0;
        for (float v = 0f; v <= 1f; v += 1e-4f * lanes) {
            for (int i = 0; i < lanes; i++) {
                x[i] = Math.min(1f, v + 1e-4f * i);
            }
            VectorKernels.log1pUnit(FloatVector.fromArray(FloatVector.SPECIES_PREFERRED, x, 0)).intoArray(y, 0);
            for (int i = 0; i < lanes; i++) {
                double want = Math.log1p(x[i]);
                worst = Math.max(worst, Math.abs(y[i] - want) - 3e-7 * want);
            }
        }
        assertTrue(worst <= 1e-12, "error beyond 3e-7 relative: " + worst);
    }
}
