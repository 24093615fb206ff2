package com.vlaapi.bench;

import com.vlaapi.modelrunner.InferenceRequest;
import com.vlaapi.modelrunner.ModelRunner;
import com.vlaapi.modelrunner.Prediction;
import com.vlaapi.modelrunner.RunnerConfig;
import com.vlaapi.modelrunner.bundle.ModelManifest;
import com.vlaapi.modelrunner.ood.ReferenceEmbeddings;
import com.vlaapi.modelrunner.ood.ReferenceIndex;
import com.vlaapi.referencepolicy.eval.EvalSet;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * {@code bin/vla bench ood [ROUNDS]}: what the out-of-distribution lookup adds to a request, in
 * process. Each round times the same held-out camera images through {@code ModelRunner.predict}
 * (decode, resize, tokenize, batched forward pass: what POST /v1/inference waits for) once without
 * and once followed by the nearest-reference lookup inference-service's SceneNovelty makes, A and B
 * alternating which goes first; then the lookup alone on the predictions' embeddings. The 100,000
 * references are the bundle's 4,000 jittered (Gaussian noise 0.02 per dimension, re-normalised): the
 * real embedding geometry, 25 times as dense, indexed as SceneNovelty would (316 lists, 8 probes).
 */
public final class OodLookupBenchmark {

    private static final Path MODELS = Path.of("reference-policy/bundles");
    private static final Path EVAL_SET = Path.of("reference-policy/evalsets/tabletop-v1");
    private static final int REFERENCES = 100_000;
    private static final int PROBES = 8;
    private static final int REQUESTS_PER_ROUND = 200;

    private OodLookupBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        List<EvalSet.Scene> scenes = EvalSet.read(EVAL_SET).scenes().subList(0, 64);
        System.out.printf("OOD lookup benchmark: %d cores, %s %s%n", Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.vm.name"), System.getProperty("java.version"));
        try (ModelRunner runner = ModelRunner.start(RunnerConfig.fromEnvironment(MODELS))) {
            ModelManifest manifest = runner.manifests().get(runner.defaultModel());
            float[] bundle = ReferenceEmbeddings.read(manifest);
            int dimension = manifest.embeddingSize();
            int neighbours = manifest.ood().neighbours();
            float[] references = jittered(bundle, dimension, REFERENCES, new Random(7));
            int lists = (int) Math.round(Math.sqrt(REFERENCES));
            long built = System.nanoTime();
            ReferenceIndex partitioned = ReferenceIndex.partitioned(references, dimension, lists, PROBES, 1);
            System.out.printf("index of %,d references, %d lists: built in %.1f s%n", REFERENCES, lists,
                    (System.nanoTime() - built) / 1e9);
            ReferenceIndex exactLarge = ReferenceIndex.exact(references, dimension);
            ReferenceIndex exactBundle = ReferenceIndex.exact(bundle, dimension);

            List<float[]> embeddings = new ArrayList<>();
            for (int i = 0; i < 3 * REQUESTS_PER_ROUND; i++) {
                embeddings.add(predict(runner, scenes.get(i % scenes.size())).embedding());
                partitioned.meanDistance(embeddings.get(embeddings.size() - 1), neighbours);
            }

            double[] without = new double[rounds * REQUESTS_PER_ROUND];
            double[] with = new double[rounds * REQUESTS_PER_ROUND];
            double[] differences = new double[rounds];
            for (int round = 0; round < rounds; round++) {
                boolean withFirst = round % 2 == 1;
                double[] a = new double[REQUESTS_PER_ROUND];
                double[] b = new double[REQUESTS_PER_ROUND];
                if (withFirst) {
                    timeRequests(runner, scenes, partitioned, neighbours, b);
                    timeRequests(runner, scenes, null, neighbours, a);
                } else {
                    timeRequests(runner, scenes, null, neighbours, a);
                    timeRequests(runner, scenes, partitioned, neighbours, b);
                }
                System.arraycopy(a, 0, without, round * REQUESTS_PER_ROUND, REQUESTS_PER_ROUND);
                System.arraycopy(b, 0, with, round * REQUESTS_PER_ROUND, REQUESTS_PER_ROUND);
                differences[round] = Stats.of(b).p50() - Stats.of(a).p50();
            }
            Stats a = Stats.of(without);
            Stats b = Stats.of(with);
            System.out.printf("%nA/B, %d rounds of %d requests each (256x256 PNG held-out scenes, one caller)%n", rounds,
                    REQUESTS_PER_ROUND);
            System.out.printf("  predict                        p50 %.3f ms  p99 %.3f ms%n", a.p50(), a.p99());
            System.out.printf("  predict + lookup (100,000)     p50 %.3f ms  p99 %.3f ms%n", b.p50(), b.p99());
            System.out.printf("  difference of p50s: overall %+.3f ms; per round median %+.3f ms, range %+.3f..%+.3f ms%n",
                    b.p50() - a.p50(), Stats.of(differences).p50(), min(differences), max(differences));

            System.out.printf("%nlookup alone, %d model embeddings of held-out scenes, %d nearest%n", embeddings.size(),
                    neighbours);
            lookupAlone("partitioned, 100,000 references, 8 of 316 lists", partitioned, embeddings, neighbours);
            lookupAlone("exact, 100,000 references", exactLarge, embeddings, neighbours);
            lookupAlone("exact, the bundle's 4,000 (served as is)", exactBundle, embeddings, neighbours);
        }
    }

    private static Prediction predict(ModelRunner runner, EvalSet.Scene scene) {
        return runner.predict(new InferenceRequest(null, scene.imageBytes(), scene.instruction(), null));
    }

    private static void timeRequests(ModelRunner runner, List<EvalSet.Scene> scenes, ReferenceIndex index,
                                     int neighbours, double[] millis) {
        for (int i = 0; i < millis.length; i++) {
            EvalSet.Scene scene = scenes.get(i % scenes.size());
            long start = System.nanoTime();
            Prediction p = predict(runner, scene);
            if (index != null) {
                index.meanDistance(p.embedding(), neighbours);
            }
            millis[i] = (System.nanoTime() - start) / 1e6;
        }
    }

    private static void lookupAlone(String label, ReferenceIndex index, List<float[]> embeddings, int neighbours) {
        double[] millis = new double[embeddings.size() * 5];
        for (int i = 0; i < millis.length; i++) {
            float[] embedding = embeddings.get(i % embeddings.size());
            long start = System.nanoTime();
            index.meanDistance(embedding, neighbours);
            millis[i] = (System.nanoTime() - start) / 1e6;
        }
        Stats s = Stats.of(millis);
        System.out.printf("  %-50s p50 %.4f ms  p99 %.4f ms%n", label, s.p50(), s.p99());
    }

    private static float[] jittered(float[] source, int dimension, int count, Random random) {
        int rows = source.length / dimension;
        float[] out = new float[count * dimension];
        for (int i = 0; i < count; i++) {
            int from = random.nextInt(rows) * dimension;
            double squares = 0;
            for (int d = 0; d < dimension; d++) {
                float v = (float) (source[from + d] + 0.02 * random.nextGaussian());
                out[i * dimension + d] = v;
                squares += v * v;
            }
            float scale = (float) (1 / Math.sqrt(squares));
            for (int d = 0; d < dimension; d++) {
                out[i * dimension + d] *= scale;
            }
        }
        return out;
    }

    private static double min(double[] values) {
        double m = Double.POSITIVE_INFINITY;
        for (double v : values) {
            m = Math.min(m, v);
        }
        return m;
    }

    private static double max(double[] values) {
        double m = Double.NEGATIVE_INFINITY;
        for (double v : values) {
            m = Math.max(m, v);
        }
        return m;
    }
}
