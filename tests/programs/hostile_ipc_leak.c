// Leaves System V IPC objects behind, as a test of a submission that never removes them would,
// and first reports how many objects earlier runs of the same sandbox left.
// Usage: hostile_ipc_leak MiB      (a shared memory segment of MiB, touched; a message queue
//                                   holding a message; a semaphore set; a POSIX message queue)
// Prints "before shm=N msg=N sem=N" then "left shm=0|1 msg=0|1 sem=0|1 mq=0|1".
#define _GNU_SOURCE
#include <fcntl.h>
#include <mqueue.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/msg.h>
#include <sys/sem.h>
#include <sys/shm.h>

int main(int argc, char** argv) {
    long mib = argc > 1 ? atol(argv[1]) : 16;
    struct shm_info shm_usage;
    struct msginfo msg_usage;
    struct seminfo sem_usage;
    memset(&shm_usage, 0, sizeof shm_usage);
    memset(&msg_usage, 0, sizeof msg_usage);
    memset(&sem_usage, 0, sizeof sem_usage);
    shmctl(0, SHM_INFO, (struct shmid_ds*)&shm_usage);
    msgctl(0, MSG_INFO, (struct msqid_ds*)&msg_usage);
    semctl(0, 0, SEM_INFO, &sem_usage);
    // SHM_INFO's used_ids, MSG_INFO's msgpool (queues in use), SEM_INFO's semusz (sets in use).
    printf("before shm=%d msg=%d sem=%d\n", shm_usage.used_ids, msg_usage.msgpool, sem_usage.semusz);

    int shm = 0, msg = 0, sem = 0, mq = 0;
    int id = shmget(IPC_PRIVATE, (size_t)mib << 20, IPC_CREAT | 0600);
    if (id >= 0) {
        char* memory = shmat(id, NULL, 0);
        if (memory != (void*)-1) {
            memset(memory, 1, (size_t)mib << 20);
            shmdt(memory);
            shm = 1;
        }
    }
    int queue = msgget(IPC_PRIVATE, IPC_CREAT | 0600);
    struct {
        long type;
        char text[1024];
    } message = {1, "left behind"};
    if (queue >= 0 && msgsnd(queue, &message, sizeof message.text, IPC_NOWAIT) == 0) msg = 1;
    if (semget(IPC_PRIVATE, 4, IPC_CREAT | 0600) >= 0) sem = 1;
    mqd_t posix = mq_open("/left-behind", O_CREAT | O_RDWR, 0600, NULL);
    if (posix != (mqd_t)-1) mq = 1;
    printf("left shm=%d msg=%d sem=%d mq=%d\n", shm, msg, sem, mq);
    return 0;
}
