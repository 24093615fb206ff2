package com.vlaapi.modelrunner.bundle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.vlaapi.testsupport.repo.RepoPaths;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ManifestReaderTest {

    @Test
    void readsTheReferenceManifest() {
        ModelManifest m = ManifestReader.read(RepoPaths.referenceBundle());
        assertEquals("tabletop-v1", m.name());
        assertEquals(7, m.action().names().size());
        assertEquals("gripper", m.action().names().get(6));
        assertTrue(m.action().unnorm().containsKey(m.action().defaultUnnormKey()));
        assertEquals(64, m.embeddingSize());
    }

    private static String fieldErrorFor(Path dir, String from, String to) throws IOException {
        Path source = RepoPaths.referenceBundle();
        for (String f : new String[] {"manifest.json", "vocab.txt"}) {
            Files.copy(source.resolve(f), dir.resolve(f));
        }
        Files.writeString(dir.resolve("model.pt"), "placeholder: the reader only checks that it exists");
        String manifest = Files.readString(dir.resolve("manifest.json"));
        assertTrue(manifest.contains(from), "fixture text not found: " + from);
        Files.writeString(dir.resolve("manifest.json"), manifest.replaceFirst(java.util.regex.Pattern.quote(from), to));
        return assertThrows(InvalidManifestException.class, () -> ManifestReader.read(dir)).getMessage();
    }

    @Test
    void missingFieldIsNamedWithItsPath(@TempDir Path dir) throws IOException {
        assertTrue(fieldErrorFor(dir, "\"max_length\"", "\"max_len\"").contains("'tokenizer.max_length' is missing"));
    }

    @Test
    void maskLengthMustMatchTheActionNames(@TempDir Path dir) throws IOException {
        String message = fieldErrorFor(dir, "\"mask\": [", "\"mask\": [true, ");
        assertTrue(message.contains("action.unnorm.tabletop_sim.mask"), message);
    }

    @Test
    void modelFileMayNotEscapeTheBundle(@TempDir Path dir) throws IOException {
        String message = fieldErrorFor(dir, "\"model_file\": \"model.pt\"", "\"model_file\": \"../../etc/passwd\"");
        assertTrue(message.contains("'model_file'") && message.contains("outside the bundle"), message);
    }

    @Test
    void unsupportedResizeIsRejected(@TempDir Path dir) throws IOException {
        String message = fieldErrorFor(dir, "\"triangle_antialias\"", "\"nearest\"");
        assertTrue(message.contains("input.image.resize"), message);
    }
}
