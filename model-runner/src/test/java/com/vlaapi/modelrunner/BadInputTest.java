package com.vlaapi.modelrunner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.vlaapi.modelrunner.action.UnknownUnnormKeyException;
import com.vlaapi.modelrunner.bundle.InvalidManifestException;
import com.vlaapi.modelrunner.image.InvalidImageException;
import com.vlaapi.modelrunner.text.InvalidInstructionException;
import com.vlaapi.testsupport.images.BadImages;
import com.vlaapi.testsupport.repo.RepoPaths;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every kind of bad input gets its own typed error with a stable code, never a crash. */
class BadInputTest {

    private static ModelRunner runner;
    private static byte[] goodPng;

    @BeforeAll
    static void start() throws IOException {
        runner = ModelRunner.start(RunnerConfig.defaults(RepoPaths.referenceBundles()));
        goodPng = Files.readAllBytes(RepoPaths.evalSet().resolve("images/0000.png"));
    }

    @AfterAll
    static void stop() {
        runner.close();
    }

    private static Prediction predict(byte[] image, String instruction, String unnormKey) {
        return runner.predict(new InferenceRequest(null, image, instruction, unnormKey));
    }

    @Test
    void aGoodRequestWorks() {
        Prediction p = predict(goodPng, "pick up the red cube", null);
        assertEquals(7, p.action().length);
        assertEquals("tabletop_sim", p.unnormKey());
        assertEquals(256, p.imageWidth());
    }

    @Test
    void bytesThatAreNotAnImage() {
        InvalidImageException e = assertThrows(InvalidImageException.class,
                () -> predict(BadImages.notAnImage(), "pick up the red cube", null));
        assertEquals("not_an_image", e.code());
    }

    @Test
    void emptyImage() {
        assertEquals("empty_image", assertThrows(InvalidImageException.class,
                () -> predict(new byte[0], "pick up the red cube", null)).code());
    }

    @Test
    void truncatedPng() {
        InvalidImageException e = assertThrows(InvalidImageException.class,
                () -> predict(BadImages.truncated(goodPng), "grab the ball", null));
        assertEquals("truncated_image", e.code());
    }

    @Test
    void truncatedJpeg() throws IOException {
        BufferedImage image = ImageIO.read(RepoPaths.evalSet().resolve("images/0001.png").toFile());
        ByteArrayOutputStream jpeg = new ByteArrayOutputStream();
        ImageIO.write(image, "jpeg", jpeg);
        byte[] whole = jpeg.toByteArray();
        predict(whole, "grab the ball", null);
        InvalidImageException e = assertThrows(InvalidImageException.class,
                () -> predict(Arrays.copyOf(whole, whole.length * 2 / 3), "grab the ball", null));
        assertEquals("truncated_image", e.code());
    }

    @Test
    void decompressionBombIsRejectedFromItsHeaderBeforeDecoding() {
        byte[] bomb = BadImages.pngHeaderOnly(20000, 20000);
        assertTrue(bomb.length < 100, "the bomb is tiny on the wire");
        InvalidImageException e = assertThrows(InvalidImageException.class, () -> predict(bomb, "grab the ball", null));
        assertEquals("image_too_large", e.code());
        assertTrue(e.getMessage().contains("20000x20000"), e.getMessage());
    }

    @Test
    void otherImageFormatsAreNamed() {
        InvalidImageException e = assertThrows(InvalidImageException.class, () -> predict(BadImages.gif(), "grab the ball", null));
        assertEquals("unsupported_image_format", e.code());
        assertTrue(e.getMessage().contains("GIF"), e.getMessage());
    }

    @Test
    void emptyOrBlankInstruction() {
        for (String instruction : new String[] {null, "", "   \n"}) {
            InvalidInstructionException e = assertThrows(InvalidInstructionException.class, () -> predict(goodPng, instruction, null));
            assertEquals("empty_instruction", e.code());
        }
    }

    @Test
    void overlongInstruction() {
        assertEquals("instruction_too_long", assertThrows(InvalidInstructionException.class,
                () -> predict(goodPng, "pick ".repeat(200), null)).code());
    }

    @Test
    void unknownUnnormKeyNamesTheKnownOnes() {
        UnknownUnnormKeyException e = assertThrows(UnknownUnnormKeyException.class,
                () -> predict(goodPng, "pick up the red cube", "bridge_orig"));
        assertEquals("unknown_unnorm_key", e.code());
        assertTrue(e.getMessage().contains("tabletop_sim"), e.getMessage());
    }

    @Test
    void unknownModel() {
        UnknownModelException e = assertThrows(UnknownModelException.class,
                () -> runner.predict(new InferenceRequest("openvla-7b", goodPng, "pick up the red cube", null)));
        assertEquals("unknown_model", e.code());
    }

    @Test
    void corruptManifestIsReportedWithItsFile(@TempDir Path models) throws IOException {
        Path bundle = copyReferenceBundle(models);
        Files.writeString(bundle.resolve("manifest.json"), "{\"format_version\": 1, \"name\": ");
        InvalidManifestException e = assertThrows(InvalidManifestException.class,
                () -> ModelRunner.start(RunnerConfig.defaults(models)));
        assertEquals("invalid_manifest", e.code());
        assertTrue(e.getMessage().contains("manifest.json") && e.getMessage().contains("not valid JSON"), e.getMessage());
    }

    @Test
    void manifestWithABadFieldNamesTheField(@TempDir Path models) throws IOException {
        Path bundle = copyReferenceBundle(models);
        String manifest = Files.readString(bundle.resolve("manifest.json"));
        Files.writeString(bundle.resolve("manifest.json"),
                manifest.replace("\"default_unnorm_key\": \"tabletop_sim\"", "\"default_unnorm_key\": \"nope\""));
        InvalidManifestException e = assertThrows(InvalidManifestException.class,
                () -> ModelRunner.start(RunnerConfig.defaults(models)));
        assertTrue(e.getMessage().contains("action.default_unnorm_key"), e.getMessage());
    }

    @Test
    void modelFileThatIsNotTorchScript(@TempDir Path models) throws IOException {
        Path bundle = copyReferenceBundle(models);
        Files.writeString(bundle.resolve("model.pt"), "not a model");
        InvalidManifestException e = assertThrows(InvalidManifestException.class,
                () -> ModelRunner.start(RunnerConfig.defaults(models)));
        assertTrue(e.getMessage().contains("model.pt"), e.getMessage());
    }

    static Path copyReferenceBundle(Path models) throws IOException {
        Path target = models.resolve("tabletop-v1");
        Files.createDirectories(target);
        try (Stream<Path> files = Files.list(RepoPaths.referenceBundle())) {
            for (Path file : files.toList()) {
                Files.copy(file, target.resolve(file.getFileName()));
            }
        }
        return target;
    }
}
