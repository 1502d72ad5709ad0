public final class TextStats {
    private TextStats() {}

    public static int countVowels(String text) {
        if (text == null) throw new IllegalArgumentException("text is null");
        int count = 0;
        for (char c : text.toLowerCase().toCharArray())
            if ("aeiou".indexOf(c) >= 0) count++;
        return count;
    }

    public static String reverse(String text) {
        return new StringBuilder(text).reverse().toString();
    }

    public static boolean isPalindrome(String text) {
        StringBuilder letters = new StringBuilder();
        for (char c : text.toCharArray())
            if (Character.isLetterOrDigit(c)) letters.append(Character.toLowerCase(c));
        String kept = letters.toString();
        return kept.equals(reverse(kept));
    }
}
