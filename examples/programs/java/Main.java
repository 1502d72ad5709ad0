import java.util.ArrayList;
import java.util.List;
import java.util.Scanner;

import org.example.stats.Summary;

public class Main {
    public static void main(String[] args) {
        Scanner in = new Scanner(System.in);
        List<Long> values = new ArrayList<>();
        while (in.hasNextLong()) values.add(in.nextLong());
        System.out.println(Summary.of(values));
    }
}
