package dev.ubm.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LossCurveTest {
    @TempDir
    Path tmp;

    @Test
    void csvRoundTripsAndPngIsWritten() throws Exception {
        LossCurve c = new LossCurve(List.of("total", "next_item"));
        for (int i = 1; i <= 30; i++) {
            c.add(new LossCurve.Row(i / 10, i, 100L * i, 1e-3f, new double[] {10.0 / i, i % 3 == 0 ? Double.NaN : 5.0 / i}));
        }
        c.writeCsv(tmp.resolve("l.csv"));
        c.writePng(tmp.resolve("l.png"), "test");
        LossCurve back = LossCurve.readCsv(tmp.resolve("l.csv"));
        assertEquals(c.series(), back.series());
        assertEquals(30, back.rows().size());
        assertEquals(10.0 / 7, back.rows().get(6).values()[0], 1e-6);
        assertTrue(Double.isNaN(back.rows().get(2).values()[1]));
        byte[] png = Files.readAllBytes(tmp.resolve("l.png"));
        assertTrue(png.length > 1000 && png[1] == 'P' && png[2] == 'N' && png[3] == 'G');
        back.truncateAfterEpoch(1);
        assertEquals(19, back.rows().size());
    }

    @Test
    void seriesNamesWithCommasOrQuotesRoundTrip() {
        LossCurve c = new LossCurve(List.of("loss, total", "say \"hi\""));
        c.add(new LossCurve.Row(0, 1, 10, 1e-3f, new double[] {1.5, 2.5}));
        c.writeCsv(tmp.resolve("q.csv"));
        LossCurve back = LossCurve.readCsv(tmp.resolve("q.csv"));
        assertEquals(c.series(), back.series());
        assertEquals(2.5, back.rows().get(0).values()[1], 1e-9);
    }

    @Test
    void aShortRowIsReportedWithTheFile() throws Exception {
        Path f = tmp.resolve("bad.csv");
        Files.writeString(f, "epoch,step,tokens,lr,total\n0,1,10,0.001,2.0\n1,2,20\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> LossCurve.readCsv(f));
        assertTrue(e.getMessage().contains("bad.csv"), e.getMessage());
    }

    @Test
    void scheduleWarmsUpThenDecaysToTheFloor() {
        LrSchedule s = new LrSchedule(1f, 10, 110, 0.1f);
        assertEquals(0.1f, s.at(0), 1e-6);
        assertEquals(1f, s.at(9), 1e-6);
        assertEquals(1f, s.at(10), 1e-6);
        assertEquals(0.55f, s.at(60), 1e-6);
        assertEquals(0.1f, s.at(110), 1e-6);
        assertEquals(0.1f, s.at(500), 1e-6);
    }
}
