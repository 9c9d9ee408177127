# %% [markdown]
# # Task02 §2 — data preprocessing (数据预处理)
#
# The notes' flow: write a small CSV, read it with pandas, fill the missing
# numbers with the column mean, turn the text column into 0/1 columns with
# missing values as their own category, and make tensors. Then the same with
# ember's fitted `Preprocessor`, which can be saved and applied to new data.
#
# Files go under `$EMBER_OUT` (default `out/examples`), or the folder given as
# the first argument.

# %%
import os
import sys

import pandas as pd

import ember as torch
from ember.preprocessing import Preprocessor, read_csv

arguments = [arg for arg in sys.argv[1:] if not arg.startswith("-")]
OUT = arguments[0] if arguments else os.environ.get("EMBER_OUT", os.path.join("out", "examples"))

# %% 2.1 Create the CSV file (the notes write it to ../data; here it goes under OUT)
os.makedirs(os.path.join(OUT, "data"), exist_ok=True)
data_file = os.path.join(OUT, "data", "house_tiny.csv")
with open(data_file, "w") as f:
    f.write("NumRooms,Alley,Price\n")  # column names
    f.write("NA,Pave,127500\n")  # each row is one example
    f.write("2,NA,106000\n")
    f.write("4,NA,178100\n")
    f.write("NA,NA,140000\n")

data = pd.read_csv(data_file)
print(data)

# %% 2.2 Fill the gaps: the mean for numbers, a category of its own for missing text
inputs, outputs = data.iloc[:, 0:2], data.iloc[:, 2]
inputs = inputs.fillna(inputs.mean(numeric_only=True))
print(inputs)
inputs = pd.get_dummies(inputs, dummy_na=True)
print(inputs)

# %% 2.3 Everything is numeric now, so it becomes tensors
X = torch.tensor(inputs.to_numpy(dtype=float))
y = torch.tensor(outputs.to_numpy(dtype=float))
print(X)
print(y)

# %% The same with ember's Preprocessor: fitted once, saved as JSON, applied to new rows
frame = read_csv(data_file, target="Price")
preprocessor = Preprocessor().fit(frame, target="Price")
print(preprocessor.feature_names)
features, labels = preprocessor.to_tensors(frame)
print(features)
path = preprocessor.save(os.path.join(OUT, "house_tiny_preprocessor.json"))
new = pd.DataFrame({"NumRooms": [None, 5], "Alley": ["Grvl", None]})
print(Preprocessor.load(path).transform(new))  # an unseen alley type gives all zeros
