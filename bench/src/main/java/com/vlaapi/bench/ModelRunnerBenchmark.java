package com.vlaapi.bench;

import ai.djl.Device;
import com.vlaapi.modelrunner.InferenceRequest;
import com.vlaapi.modelrunner.ModelRunner;
import com.vlaapi.modelrunner.Prediction;
import com.vlaapi.modelrunner.RunnerConfig;
import com.vlaapi.modelrunner.batching.BatchingConfig;
import com.vlaapi.modelrunner.bundle.ManifestReader;
import com.vlaapi.modelrunner.bundle.ModelManifest;
import com.vlaapi.modelrunner.engine.TorchScriptPolicy;
import com.vlaapi.referencepolicy.eval.EvalSet;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import javax.imageio.ImageIO;

/**
 * {@code bin/vla bench model [SECONDS_PER_ROUND]}: forward latency at batch 1/8/32, throughput of
 * 16 concurrent callers with the batcher on and off, and the runner's own per-request overhead.
 * Rounds alternate on/off so that both see the same machine noise; ratios are from one run.
 */
public final class ModelRunnerBenchmark {

    private static final Path MODELS = Path.of("reference-policy/bundles");
    private static final BatchingConfig DEFAULTS = RunnerConfig.defaults(MODELS).batching();
    private static final Path EVAL_SET = Path.of("reference-policy/evalsets/tabletop-v1");
    private static final int CALLERS = 16;

    private ModelRunnerBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 5;
        EvalSet set = EvalSet.read(EVAL_SET);
        List<byte[]> camera = new ArrayList<>();
        set.scenes().stream().limit(64).forEach(s -> camera.add(s.imageBytes()));
        List<byte[]> small = new ArrayList<>();
        for (byte[] png : camera) {
            small.add(downscaledPng(png, 64));
        }
        System.out.printf("model-runner benchmark: %d cores, %s %s%n",
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.vm.name"),
                System.getProperty("java.version"));

        RunnerConfig base = RunnerConfig.fromEnvironment(MODELS);
        try (ModelRunner batched = ModelRunner.start(base);
             ModelRunner unbatched = ModelRunner.start(base.withBatching(base.batching().withMaxBatchSize(1)))) {
            forwardLatency();
            overhead(unbatched, set, camera, "256x256 PNG (held-out camera images)");
            overhead(unbatched, set, small, "64x64 PNG (already at model resolution)");
            throughput(batched, unbatched, set, camera, seconds, "256x256 PNG");
            throughput(batched, unbatched, set, small, seconds, "64x64 PNG");
        }
    }

    private static void forwardLatency() {
        ModelManifest m = ManifestReader.read(MODELS.resolve("tabletop-v1"));
        int pixels = 3 * m.image().width() * m.image().height();
        Random random = new Random(1);
        System.out.println("\nforward pass alone (TorchScript through DJL, preprocessed input)");
        System.out.println("  batch   p50 ms   p99 ms   per-sample ms");
        try (TorchScriptPolicy policy = TorchScriptPolicy.load(MODELS.resolve("tabletop-v1"), m, Device.cpu())) {
            for (int batch : new int[] {1, 8, 32}) {
                float[] input = new float[batch * pixels];
                for (int i = 0; i < input.length; i++) {
                    input[i] = (float) random.nextGaussian();
                }
                long[] tokens = new long[batch * m.tokenizer().maxLength()];
                for (int i = 0; i < tokens.length; i += m.tokenizer().maxLength()) {
                    tokens[i] = 5;
                    tokens[i + 1] = 8;
                }
                int iterations = batch == 1 ? 400 : batch == 8 ? 150 : 60;
                for (int i = 0; i < 20; i++) {
                    policy.forward(input, tokens, batch);
                }
                double[] ms = new double[iterations];
                for (int i = 0; i < iterations; i++) {
                    long t = System.nanoTime();
                    policy.forward(input, tokens, batch);
                    ms[i] = (System.nanoTime() - t) / 1e6;
                }
                Stats s = Stats.of(ms);
                System.out.printf("  %5d  %7.3f  %7.3f   %7.3f%n", batch, s.p50(), s.p99(), s.p50() / batch);
            }
        }
    }

    /** One caller, one request at a time: what the runner adds around the forward pass. */
    private static byte[] downscaledPng(byte[] png, int size) throws IOException {
        BufferedImage source = ImageIO.read(new ByteArrayInputStream(png));
        BufferedImage target = new BufferedImage(size, size,
                BufferedImage.TYPE_3BYTE_BGR);
        Graphics2D g = target.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        g.drawImage(source, 0, 0, size, size, null);
        g.dispose();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(target, "png", out);
        return out.toByteArray();
    }

    private static void overhead(ModelRunner runner, EvalSet set, List<byte[]> images, String label) {
        int n = 600;
        double[] total = new double[n];
        double[] own = new double[n];
        double[] preprocess = new double[n];
        double[] handoff = new double[n];
        for (int i = -100; i < n; i++) {
            EvalSet.Scene scene = set.scenes().get(Math.floorMod(i, images.size()));
            long t = System.nanoTime();
            Prediction p = runner.predict(new InferenceRequest(null, images.get(Math.floorMod(i, images.size())),
                    scene.instruction(), null));
            double ms = (System.nanoTime() - t) / 1e6;
            if (i >= 0) {
                total[i] = ms;
                own[i] = ms - p.timings().forwardMs();
                preprocess[i] = p.timings().preprocessMs();
                handoff[i] = own[i] - preprocess[i];
            }
        }
        Stats t = Stats.of(total);
        Stats o = Stats.of(own);
        Stats pre = Stats.of(preprocess);
        Stats h = Stats.of(handoff);
        System.out.println("\nrunner overhead at batch 1, " + label + " (one caller; end-to-end call minus forward pass)");
        System.out.printf("  end-to-end p50 %.3f ms, p99 %.3f ms%n", t.p50(), t.p99());
        System.out.printf("  overhead   p50 %.3f ms, p99 %.3f ms%n", o.p50(), o.p99());
        System.out.printf("    of which decode+resize+tokenize p50 %.3f ms; queue hand-off and result p50 %.3f ms%n",
                pre.p50(), h.p50());
    }

    private static void throughput(ModelRunner batched, ModelRunner unbatched, EvalSet set, List<byte[]> images,
                                   double seconds, String label) throws InterruptedException {
        System.out.printf("%n%d concurrent callers, %s, %.0f s per round, rounds alternate on/off%n", CALLERS, label,
                seconds);
        double on = 0;
        double off = 0;
        double meanBatch = 0;
        for (int round = 0; round < 3; round++) {
            double[] r = run(batched, set, images, seconds);
            on += r[0];
            meanBatch += r[1];
            off += run(unbatched, set, images, seconds)[0];
        }
        on /= 3;
        off /= 3;
        System.out.printf("  batcher on  (max_batch_size %d, max_batch_delay %d ms): %7.1f requests/s, mean batch %.1f%n",
                DEFAULTS.maxBatchSize(), DEFAULTS.maxBatchDelay().toMillis(), on,
                meanBatch / 3);
        System.out.printf("  batcher off (max_batch_size 1):                      %7.1f requests/s%n", off);
        System.out.printf("  ratio on/off: %.2fx%n", on / off);
    }

    /** Returns {requests per second, mean batch size}. */
    private static double[] run(ModelRunner runner, EvalSet set, List<byte[]> images, double seconds)
            throws InterruptedException {
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong done = new AtomicLong();
        AtomicLong batchSum = new AtomicLong();
        CountDownLatch finished = new CountDownLatch(CALLERS);
        Duration warmup = Duration.ofMillis(500);
        long measureFrom = System.nanoTime() + warmup.toNanos();
        for (int c = 0; c < CALLERS; c++) {
            int caller = c;
            Thread thread = new Thread(() -> {
                int i = caller;
                while (!stop.get()) {
                    int k = i++ % images.size();
                    Prediction p = runner.predict(new InferenceRequest(null, images.get(k), set.scenes().get(k).instruction(), null));
                    if (System.nanoTime() > measureFrom) {
                        done.incrementAndGet();
                        batchSum.addAndGet(p.timings().batchSize());
                    }
                }
                finished.countDown();
            });
            thread.start();
        }
        Thread.sleep(warmup.toMillis() + (long) (seconds * 1000));
        stop.set(true);
        double elapsed = (System.nanoTime() - measureFrom) / 1e9;
        finished.await();
        return new double[] {done.get() / elapsed, (double) batchSum.get() / Math.max(1, done.get())};
    }
}
