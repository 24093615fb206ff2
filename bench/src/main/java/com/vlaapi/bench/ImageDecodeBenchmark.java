package com.vlaapi.bench;

import com.vlaapi.modelrunner.image.ImageDecoder;
import com.vlaapi.modelrunner.image.RgbImage;
import com.vlaapi.modelrunner.image.RgbRows;
import com.vlaapi.modelrunner.image.TriangleResizer;
import com.vlaapi.referencepolicy.eval.EvalSet;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToLongFunction;
import javax.imageio.ImageIO;

/**
 * {@code bin/vla bench decode [ROUNDS] [SECONDS_PER_ROUND]}: what decoding a camera image costs
 * model-runner, against the JDK's ImageIO reading the same PNG into a {@code BufferedImage} (what
 * the runner did before its direct PNG path, less the copy to RGB it then made: a lower bound of
 * the old cost). One thread, rounds alternating between the two, the 64 first held-out scenes
 * (256x256 RGB PNG); the resize to the model's 64x64 is timed alongside for scale, and then decode
 * and resize together, the rows streamed into the resize (the runner's way) against the whole image
 * decoded first.
 */
public final class ImageDecodeBenchmark {

    private static final Path EVAL_SET = Path.of("reference-policy/evalsets/tabletop-v1");
    private static final int MODEL_SIDE = 64;

    private ImageDecodeBenchmark() {
    }

    public static void main(String[] args) {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        double seconds = args.length > 1 ? Double.parseDouble(args[1]) : 2;
        List<byte[]> scenes = new ArrayList<>();
        EvalSet.read(EVAL_SET).scenes().stream().limit(64).forEach(scene -> scenes.add(scene.imageBytes()));
        ImageDecoder decoder = new ImageDecoder(8 * 1024 * 1024, 4096L * 4096L, 4096);
        TriangleResizer resizer = new TriangleResizer();
        System.out.printf("image decode benchmark: %d cores, %s %s, %d held-out 256x256 PNG scenes, %d rounds of %.1f s per side%n",
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.vm.name"),
                System.getProperty("java.version"), scenes.size(), rounds, seconds);

        System.out.println("warming up (3 rounds each, not counted)...");
        for (int i = 0; i < 3; i++) {
            imageIo(scenes, seconds);
            direct(decoder, scenes, seconds);
        }
        List<Double> imageIo = new ArrayList<>();
        List<Double> direct = new ArrayList<>();
        List<Double> ratios = new ArrayList<>();
        System.out.println("round   ImageIO.read ms/image   ImageDecoder.decode ms/image   direct / ImageIO");
        for (int round = 1; round <= rounds; round++) {
            double a;
            double b;
            if (round % 2 == 1) {
                a = imageIo(scenes, seconds);
                b = direct(decoder, scenes, seconds);
            } else {
                b = direct(decoder, scenes, seconds);
                a = imageIo(scenes, seconds);
            }
            imageIo.add(a);
            direct.add(b);
            ratios.add(b / a);
            System.out.printf("%5d   %20.4f   %28.4f   %16.3f%n", round, a, b, b / a);
        }
        System.out.printf("median   ImageIO.read %.4f ms, ImageDecoder.decode %.4f ms per image; direct / ImageIO, round by round: median %.3f, from %.3f to %.3f%n",
                p50(imageIo), p50(direct), p50(ratios),
                ratios.stream().mapToDouble(Double::doubleValue).min().orElseThrow(),
                ratios.stream().mapToDouble(Double::doubleValue).max().orElseThrow());
        System.out.printf("for scale: the resize of a decoded scene to %dx%d takes %.4f ms%n", MODEL_SIDE, MODEL_SIDE,
                resize(decoder, resizer, scenes, seconds));
        System.out.printf("decode and resize (ms/image), as the runner does (rows streamed into the resize) against the whole"
                + " image decoded first, rounds alternating:%n");
        List<Double> streamRatios = new ArrayList<>();
        for (int round = 1; round <= rounds; round++) {
            double whole = msPerItem(scenes, seconds, png -> (long) resizer.resize(decoder.decode(png), MODEL_SIDE, MODEL_SIDE)[5]);
            double streamed = msPerItem(scenes, seconds, png -> {
                try (RgbRows rows = decoder.open(png)) {
                    return (long) resizer.resize(rows, MODEL_SIDE, MODEL_SIDE)[5];
                }
            });
            streamRatios.add(streamed / whole);
            System.out.printf("%5d   whole %.4f   streamed %.4f   streamed / whole %.3f%n", round, whole, streamed, streamed / whole);
        }
        System.out.printf("median streamed / whole %.3f%n", p50(streamRatios));
    }

    private static double imageIo(List<byte[]> scenes, double seconds) {
        return msPerItem(scenes, seconds, png -> {
            try {
                return ImageIO.read(new ByteArrayInputStream(png)).getRGB(7, 7);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    private static double direct(ImageDecoder decoder, List<byte[]> scenes, double seconds) {
        return msPerItem(scenes, seconds, png -> decoder.decode(png).pixels()[21]);
    }

    private static double resize(ImageDecoder decoder, TriangleResizer resizer, List<byte[]> scenes, double seconds) {
        List<RgbImage> decoded = scenes.stream().map(decoder::decode).toList();
        return msPerItem(decoded, seconds, image -> (long) resizer.resize(image, MODEL_SIDE, MODEL_SIDE)[5]);
    }

    /**
     * Milliseconds per item of {@code work} done on every item in turn for {@code seconds}; what it
     * returns is summed so that the JIT cannot drop it, and printed nowhere.
     */
    private static <T> double msPerItem(List<T> items, double seconds, ToLongFunction<T> work) {
        long start = System.nanoTime();
        long deadline = start + (long) (seconds * 1e9);
        long done = 0;
        long checksum = 0;
        while (System.nanoTime() < deadline) {
            for (T item : items) {
                checksum += work.applyAsLong(item);
                done++;
            }
        }
        return (System.nanoTime() - start) / 1e6 / done + (checksum == Long.MIN_VALUE ? 1 : 0);
    }

    private static double p50(List<Double> values) {
        return Stats.of(values.stream().mapToDouble(Double::doubleValue).toArray()).p50();
    }
}
