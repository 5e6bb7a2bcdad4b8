package dev.ubm.cli;

import java.io.PrintWriter;
import java.io.StringWriter;

import picocli.CommandLine;

/** Runs the ubm CLI in-process, as main does, capturing stdout and stderr (shared by the CLI tests). */
public final class CliRunner {
    /** Exit code and captured output of one run. */
    public record Result(int code, String out, String err) {
    }

    private CliRunner() {
    }

    public static Result run(String... args) {
        CommandLine cl = Ubm.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int code = cl.execute(args);
        return new Result(code, out.toString(), err.toString());
    }
}
