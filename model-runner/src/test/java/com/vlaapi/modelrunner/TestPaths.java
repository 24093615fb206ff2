package com.vlaapi.modelrunner;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The library's tests borrow the reference policy's committed bundle and camera images as
 * fixtures. They read them by path, so model-runner needs no dependency on reference-policy.
 */
public final class TestPaths {

    private static final String REFERENCE_POLICY = "reference-policy";

    private TestPaths() {
    }

    private static Path repoRoot() {
        String configured = System.getProperty("vla.repo.root");
        Path start = configured != null ? Path.of(configured) : Path.of("").toAbsolutePath();
        for (Path p = start.toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isDirectory(p.resolve(REFERENCE_POLICY).resolve("bundles"))) {
                return p;
            }
        }
        throw new IllegalStateException("cannot find the repository root above " + start);
    }

    public static Path bundles() {
        return repoRoot().resolve(REFERENCE_POLICY).resolve("bundles");
    }

    public static Path referenceBundle() {
        return bundles().resolve("tabletop-v1");
    }

    public static Path evalSet() {
        return repoRoot().resolve(REFERENCE_POLICY).resolve("evalsets/tabletop-v1");
    }
}
