public final class TextStats {
    private TextStats() {}

    // Only lower-case vowels, and a null text is not checked.
    public static int countVowels(String text) {
        int count = 0;
        for (char c : text.toCharArray())
            if ("aeiou".indexOf(c) >= 0) count++;
        return count;
    }

    public static String reverse(String text) {
        String reversed = "";
        for (int i = text.length() - 1; i >= 0; i--) reversed += text.charAt(i);
        return reversed;
    }

    // Compares the text as it is: case, spaces and punctuation count.
    public static boolean isPalindrome(String text) {
        return text.equals(reverse(text));
    }
}
