package com.vlaapi.modelrunner.bundle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.vlaapi.testsupport.repo.RepoPaths;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ManifestReaderTest {

    static final Path SINGLE_ACTION_BUNDLE =
            RepoPaths.root().resolve("model-runner/src/test/resources/single-action-models/tabletop-v1");

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
        assertEquals(8, m.chunkLength());
        assertTrue(m.takesState());
        assertEquals(List.of("x", "y", "z"), m.state().names());
        assertEquals(List.of("m", "m", "m"), m.state().units());
        assertFalse(m.state().required());
        assertEquals(List.of("m", "m", "m", "rad", "rad", "rad", "close_probability"),
                m.action().unnorm().get("tabletop_sim").units());
        assertEquals("cm", m.action().unnorm().get("tabletop_sim_cm").units().get(0));
    }

    @Test
    void aBundleFromBeforeChunksPredictsOneActionAndTakesNoState() {
        ModelManifest m = ManifestReader.read(SINGLE_ACTION_BUNDLE);
        assertEquals(1, m.chunkLength());
        assertFalse(m.takesState());
        assertNull(m.action().unnorm().get("tabletop_sim").units());
    }

    @Test
    void stateUnitsNeedOnePerName(@TempDir Path dir) throws IOException {
        String message = fieldErrorFor(dir, "\"units\": [\n        \"m\",", "\"units\": [");
        assertTrue(message.contains("'input.state.units' must be an array of 3 strings"), message);
    }

    @Test
    void actionUnitsNeedOnePerActionName(@TempDir Path dir) throws IOException {
        String message = fieldErrorFor(dir, "\"close_probability\"", "\"close_probability\", \"extra\"");
        assertTrue(message.contains("'action.unnorm.tabletop_sim.units' must be an array of 7 strings"), message);
    }

    @Test
    void chunkLengthIsAPositiveInteger(@TempDir Path dir) throws IOException {
        assertTrue(fieldErrorFor(dir, "\"chunk_length\": 8", "\"chunk_length\": 0")
                .contains("'action.chunk_length' must be an integer between 1"));
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
