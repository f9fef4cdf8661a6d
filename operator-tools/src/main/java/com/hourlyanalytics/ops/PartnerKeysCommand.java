package com.hourlyanalytics.ops;

import com.hourlyanalytics.model.PartnerKeys;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code ./partner-keys}: checks template.yaml's PARTNER_KEYS as the functions will when they start, and prepares
 * a key rotation's entry from the old and the new key ids, so that the partner id is never typed by hand
 * (docs/deployment.md, "Rotating a partner's key"). Offline: it reads and writes template.yaml only.
 */
public final class PartnerKeysCommand {

    static final String USAGE = """
            usage: ./partner-keys check [--template FILE]
                   ./partner-keys rotate OLD_KEY_ID NEW_KEY_ID [--write] [--template FILE]
              check   PARTNER_KEYS as the functions read it at start (each entry, duplicates, self-maps, chains), and
                      the functions' environment against Lambda's 4 KB
              rotate  the entry mapping NEW_KEY_ID to the partner OLD_KEY_ID reaches, checked the same way;
                      --write puts the new PARTNER_KEYS into the template (then build and sam deploy)
              --template  default: the repository's template.yaml""";

    private PartnerKeysCommand() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** @return 0 done, 1 the mapping or the rotation is refused (the message says why), 2 a usage error */
    static int run(String[] args, PrintStream out, PrintStream err) {
        List<String> words = new ArrayList<>();
        Path template = Path.of(System.getProperty("repo.root", ".")).resolve("template.yaml");
        boolean write = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--write" -> write = true;
                case "--template" -> {
                    if (++i == args.length) {
                        return usage(err, "--template needs a file");
                    }
                    template = Path.of(args[i]);
                }
                case "--help", "-h" -> {
                    out.println(USAGE);
                    return 0;
                }
                default -> words.add(args[i]);
            }
        }
        boolean check = words.size() == 1 && words.get(0).equals("check") && !write;
        boolean rotate = words.size() == 3 && words.get(0).equals("rotate");
        if (!check && !rotate) {
            return usage(err, "expected check, or rotate OLD_KEY_ID NEW_KEY_ID");
        }
        try {
            TemplateEnvironment environment = TemplateEnvironment.read(template);
            PartnerKeys current = parse(environment.value(PartnerKeys.ENVIRONMENT_VARIABLE), "the template's");
            PartnerKeys result = check ? current : current.withRotation(words.get(1), words.get(2));
            if (rotate) {
                out.println("new key " + words.get(2) + " reaches partner " + result.partnerOf(words.get(2)).orElseThrow().id()
                        + ", as old key " + words.get(1) + " does");
            }
            out.println(PartnerKeys.ENVIRONMENT_VARIABLE + ": '" + result.text() + "'");
            int bytes = environment.bytesWith(PartnerKeys.ENVIRONMENT_VARIABLE, result.text());
            if (bytes > TemplateEnvironment.LAMBDA_LIMIT_BYTES) {
                err.println("partner-keys: the functions' environment would be " + bytes + " bytes, over Lambda's "
                        + TemplateEnvironment.LAMBDA_LIMIT_BYTES + "; drop the entries of keys already deleted");
                return 1;
            }
            out.println("the functions' environment: " + bytes + " of " + TemplateEnvironment.LAMBDA_LIMIT_BYTES + " bytes at most");
            if (write) {
                environment.write(PartnerKeys.ENVIRONMENT_VARIABLE, result.text());
                out.println("written to " + template + "; build and sam deploy (docs/deployment.md, \"Changing a setting\")");
            }
            return 0;
        } catch (IllegalArgumentException e) {
            err.println("partner-keys: " + e.getMessage());
            return 1;
        } catch (IOException e) {
            err.println("partner-keys: cannot read or write " + template + ": " + e.getMessage());
            return 1;
        }
    }

    private static PartnerKeys parse(String text, String whose) {
        try {
            return PartnerKeys.parse(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(whose + " " + PartnerKeys.ENVIRONMENT_VARIABLE + " is refused, as the functions would at start: "
                    + e.getMessage());
        }
    }

    private static int usage(PrintStream err, String problem) {
        err.println("partner-keys: " + problem);
        err.println(USAGE);
        return 2;
    }
}
