package dev.ubm.data;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DuckTest {

    @TempDir
    Path tmp;

    @Test
    void spillDirWithAQuoteInItsNameIsTheTempDirectory() throws Exception {
        Path spill = Files.createDirectories(tmp.resolve("it's spill"));
        try (Connection c = Duck.open(spill);
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT current_setting('temp_directory')")) {
            rs.next();
            assertEquals(spill.toAbsolutePath().toString(), rs.getString(1));
        }
    }

    @Test
    void sqlPathDoublesSingleQuotes() {
        assertEquals("'/a/it''s'", Duck.sqlPath(Path.of("/a/it's")));
    }
}
