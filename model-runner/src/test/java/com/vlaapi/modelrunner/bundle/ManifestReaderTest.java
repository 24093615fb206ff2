package com.vlaapi.modelrunner.bundle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
        assertTrue(m.hasOod());
        assertEquals(5, m.ood().neighbours());
        assertEquals(RepoPaths.referenceBundle().resolve("reference_embeddings.f32").toAbsolutePath().normalize(),
                m.ood().referenceFile().normalize());
        assertTrue(m.ood().threshold() > 0 && m.ood().threshold() < 0.1, "threshold " + m.ood().threshold());
    }

    @Test
    void aBundleWithoutAnOodSectionStillLoads(@TempDir Path dir) throws IOException {
        copyBundle(dir);
        String manifest = Files.readString(dir.resolve("manifest.json"));
        int start = manifest.indexOf(",\n  \"ood\"");
        assertTrue(start > 0, "the reference manifest has an ood section");
        Files.writeString(dir.resolve("manifest.json"), manifest.substring(0, start) + "\n}\n");
        assertFalse(ManifestReader.read(dir).hasOod());
    }

    @Test
    void referenceFileMustHoldCountEmbeddings(@TempDir Path dir) throws IOException {
        String message = fieldErrorFor(dir, "\"count\": 4000", "\"count\": 3999");
        assertTrue(message.contains("'ood.reference_file'") && message.contains("3999 embeddings"), message);
    }

    @Test
    void onlyCosineDistanceIsKnown(@TempDir Path dir) throws IOException {
        assertTrue(fieldErrorFor(dir, "\"cosine\"", "\"euclidean\"").contains("'ood.metric'"));
    }

    private static void copyBundle(Path dir) throws IOException {
        Path source = RepoPaths.referenceBundle();
        for (String f : new String[] {"manifest.json", "vocab.txt", "reference_embeddings.f32"}) {
            Files.copy(source.resolve(f), dir.resolve(f));
        }
        Files.writeString(dir.resolve("model.pt"), "placeholder: the reader only checks that it exists");
    }

    private static String fieldErrorFor(Path dir, String from, String to) throws IOException {
        copyBundle(dir);
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
