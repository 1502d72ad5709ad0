/* The host additions of the C ABI (pipeline options, callbacks), part of the c_abi_test program. */
#ifndef AUTOGRADER_C_ABI_HOST_CALLBACKS_TEST_H
#define AUTOGRADER_C_ABI_HOST_CALLBACKS_TEST_H

void test_host_callbacks(void);

#endif
