import sys

from pipeline.evaluation.run import main

sys.exit(main())
