/** Running statistics over grades in the range 0..100. */
public class GradeStats {
    private int count = 0;
    private double sum = 0;
    private double highest = Double.NEGATIVE_INFINITY;
    private double lowest = Double.POSITIVE_INFINITY;

    /** Adds a grade; returns false (and ignores it) when it is outside 0..100. */
    public boolean add(double grade) {
        if (!(grade >= 0 && grade <= 100)) {
            return false;
        }
        count++;
        sum += grade;
        highest = Math.max(highest, grade);
        lowest = Math.min(lowest, grade);
        return true;
    }

    public int count() {
        return count;
    }

    public int average() {
        int average = sum / count;
        return average;
    }

    public double highest() {
        return highest;
    }

    public double lowest() {
        return lowest;
    }

    /** A >= 90, B >= 80, C >= 70, D >= 60, F otherwise. */
    public static char letter(double average) {
        if (average >= 90) return 'A';
        if (average >= 80) return 'B';
        if (average >= 70) return 'C';
        if (average >= 60) return 'D';
        return 'F';
    }
}
