// Process and cluster tests are heavy on a 2-core machine: run at most two test classes at once.
[assembly: CollectionBehavior(MaxParallelThreads = 2)]
