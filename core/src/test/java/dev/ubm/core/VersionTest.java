package dev.ubm.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class VersionTest {
    @Test
    void codeVersionIsTheCommitWhenTheBuildKnewOne() {
        assertEquals("3f2a1c9e0b7d", Version.of("0.1.0-SNAPSHOT", "3f2a1c9e0b7d", "false"));
        assertEquals("3f2a1c9e0b7d-dirty", Version.of("0.1.0-SNAPSHOT", "3f2a1c9e0b7d", "true"));
    }

    @Test
    void codeVersionFallsBackToTheMavenVersionOutsideAGitClone() {
        assertEquals("0.1.0-SNAPSHOT", Version.of("0.1.0-SNAPSHOT", "${git.commit.id.abbrev}", "${git.dirty}"));
        assertEquals("0.1.0-SNAPSHOT", Version.of("0.1.0-SNAPSHOT", "", ""));
    }
}
