public class GradeStats {
    private int count = 0;
    private double sum = 0;
    private double highest = 0;
    private double lowest = 100;

    public void add(double grade) {
        count++;
        sum += grade;
        if (grade > highest) highest = grade;
        if (grade < lowest) lowest = grade;
    }

    public int count() {
        return count;
    }

    public double average() {
        return sum / count;
    }

    public double highest() {
        return highest;
    }

    public double lowest() {
        return lowest;
    }

    public static char letter(double average) {
        if (average > 90) return 'A';
        if (average > 80) return 'B';
        if (average > 70) return 'C';
        if (average > 60) return 'D';
        return 'F';
    }
}
