import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

// The visible tests: students see each case, its result and its failure message.
class TextStatsTest {
    @Test
    void countsLowercaseVowels() {
        assertEquals(3, TextStats.countVowels("hello world"), "vowels in \"hello world\"");
    }

    @Test
    void countsUppercaseVowels() {
        assertEquals(5, TextStats.countVowels("AEIOU xyz"), "upper-case vowels count too");
    }

    @Test
    void reversesWord() {
        assertEquals("avaj", TextStats.reverse("java"));
    }

    @Test
    void reversesEmptyText() {
        assertEquals("", TextStats.reverse(""));
    }

    @Test
    void detectsSimplePalindrome() {
        assertTrue(TextStats.isPalindrome("level"), "\"level\" is a palindrome");
    }

    @Test
    void detectsPalindromeIgnoringCaseAndPunctuation() {
        assertTrue(TextStats.isPalindrome("A man, a plan, a canal: Panama"),
                "case, spaces and punctuation are ignored");
    }
}
