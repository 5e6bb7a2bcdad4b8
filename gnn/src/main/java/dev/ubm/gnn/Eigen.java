package dev.ubm.gnn;

/** Eigen-decomposition of small symmetric matrices by cyclic Jacobi rotations (exact enough, deterministic). */
final class Eigen {
    private Eigen() {
    }

    /**
     * @param a symmetric n×n row-major (not modified)
     * @return {eigenvalues descending (length n), eigenvectors as the columns of an n×n row-major matrix}
     */
    static double[][] symmetric(double[] a, int n) {
        double[] m = a.clone();
        double[] v = new double[n * n];
        for (int i = 0; i < n; i++) {
            v[i * n + i] = 1;
        }
        for (int sweep = 0; sweep < 100; sweep++) {
            double off = 0;
            double diag = 0;
            for (int i = 0; i < n; i++) {
                diag += m[i * n + i] * m[i * n + i];
                for (int j = i + 1; j < n; j++) {
                    off += m[i * n + j] * m[i * n + j];
                }
            }
            if (off <= 1e-30 * Math.max(diag, 1e-300) || off == 0) {
                break;
            }
            for (int p = 0; p < n; p++) {
                for (int q = p + 1; q < n; q++) {
                    double apq = m[p * n + q];
                    if (apq == 0) {
                        continue;
                    }
                    double app = m[p * n + p];
                    double aqq = m[q * n + q];
                    double theta = (aqq - app) / (2 * apq);
                    double t = Math.signum(theta) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
                    if (theta == 0) {
                        t = 1;
                    }
                    double c = 1 / Math.sqrt(t * t + 1);
                    double s = t * c;
                    for (int k = 0; k < n; k++) {
                        double mkp = m[k * n + p];
                        double mkq = m[k * n + q];
                        m[k * n + p] = c * mkp - s * mkq;
                        m[k * n + q] = s * mkp + c * mkq;
                    }
                    for (int k = 0; k < n; k++) {
                        double mpk = m[p * n + k];
                        double mqk = m[q * n + k];
                        m[p * n + k] = c * mpk - s * mqk;
                        m[q * n + k] = s * mpk + c * mqk;
                    }
                    for (int k = 0; k < n; k++) {
                        double vkp = v[k * n + p];
                        double vkq = v[k * n + q];
                        v[k * n + p] = c * vkp - s * vkq;
                        v[k * n + q] = s * vkp + c * vkq;
                    }
                }
            }
        }
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        double[] diag = new double[n];
        for (int i = 0; i < n; i++) {
            diag[i] = m[i * n + i];
        }
        java.util.Arrays.sort(order, (x, y) -> x.equals(y) ? 0 : diag[y] != diag[x] ? Double.compare(diag[y], diag[x])
                : Integer.compare(x, y));
        double[] vals = new double[n];
        double[] vecs = new double[n * n];
        for (int j = 0; j < n; j++) {
            vals[j] = diag[order[j]];
            for (int i = 0; i < n; i++) {
                vecs[i * n + j] = v[i * n + order[j]];
            }
        }
        return new double[][] {vals, vecs};
    }
}
