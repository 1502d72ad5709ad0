import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.util.Locale;

/** Reads grades (numbers 0..100, separated by spaces or newlines) and prints a summary. */
public class Main {
    public static void main(String[] args) throws IOException {
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in));
        GradeStats stats = new GradeStats();
        String line;
        while ((line = in.readLine()) != null) {
            for (String token : line.trim().split("\\s+")) {
                if (token.isEmpty()) {
                    continue;
                }
                try {
                    stats.add(Double.parseDouble(token));
                } catch (NumberFormatException e) {
                    // not a number: ignored
                }
            }
        }
        if (stats.count() == 0) {
            System.out.println("No grades");
            return;
        }
        System.out.println("Count: " + stats.count());
        System.out.println(String.format(Locale.ROOT, "Average: %.2f", stats.average()));
        System.out.println(String.format(Locale.ROOT, "Highest: %.2f", stats.highest()));
        System.out.println(String.format(Locale.ROOT, "Lowest: %.2f", stats.lowest()));
        System.out.println("Letter: " + GradeStats.letter(stats.average()));
    }
}
