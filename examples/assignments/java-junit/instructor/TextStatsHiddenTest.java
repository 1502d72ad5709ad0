import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

// Hidden tests: they count in the score, but students see neither their names nor their messages.
class TextStatsHiddenTest {
    @Test
    void rejectsNonPalindrome() {
        assertFalse(TextStats.isPalindrome("palindrome"));
    }

    @Test
    void rejectsNullText() {
        assertThrows(IllegalArgumentException.class, () -> TextStats.countVowels(null),
                "countVowels(null) throws IllegalArgumentException");
    }
}
