package com.vlaapi.testsupport.repo;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Files of this repository that tests read where they are committed (the reference policy's
 * bundle and held-out set, the services' migrations, the operator scripts), wherever the tests run.
 * Read by path, they need no dependency on the module that holds them: model-runner's tests take the
 * reference policy's bundle and camera images as fixtures without depending on reference-policy.
 */
public final class RepoPaths {

    private static final String REFERENCE_POLICY = "reference-policy";

    private RepoPaths() {
    }

    /** Maven passes the root as {@code vla.repo.root} (see the parent pom); an IDE may not, so look upwards. */
    public static Path root() {
        String configured = System.getProperty("vla.repo.root");
        Path start = (configured != null ? Path.of(configured) : Path.of("")).toAbsolutePath();
        for (Path p = start; p != null; p = p.getParent()) {
            if (Files.isDirectory(p.resolve(REFERENCE_POLICY).resolve("bundles"))) {
                return p;
            }
        }
        throw new IllegalStateException("cannot find the repository root above " + start);
    }

    /** The models directory the fleet serves from. */
    public static Path referenceBundles() {
        return root().resolve(REFERENCE_POLICY).resolve("bundles");
    }

    public static Path referenceBundle() {
        return referenceBundles().resolve("tabletop-v1");
    }

    /** The reference policy's held-out scenes: camera images, instructions, expert actions. */
    public static Path evalSet() {
        return root().resolve(REFERENCE_POLICY).resolve("evalsets/tabletop-v1");
    }
}
